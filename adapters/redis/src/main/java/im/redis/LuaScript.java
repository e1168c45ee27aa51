package im.redis;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA-1 (EVALSHA), so a call carries its arguments and not the script
 * text. The text travels only when Redis does not know the script yet ({@link #eval} after
 * NOSCRIPT, or {@link #load} ahead of the calls).
 */
public final class LuaScript {

    private final String source;
    private final String sha1;

    public LuaScript(String source) {
        this.source = source;
        this.sha1 = sha1(source);
    }

    /** A call by digest; append the script's ARGV to it. */
    public Request evalSha(List<String> keys) {
        return withKeys(Request.cmd(Command.EVALSHA).arg(sha1), keys);
    }

    /** The same call carrying the text, for when Redis answered NOSCRIPT. */
    public Request eval(List<String> keys) {
        return withKeys(Request.cmd(Command.EVAL).arg(source), keys);
    }

    /** Teaches Redis the script, so that later EVALSHA calls find it. */
    public Request load() {
        return Request.cmd(Command.SCRIPT).arg("LOAD").arg(source);
    }

    /**
     * Redis did not know the script (restarted, or its script cache was flushed), for the call
     * itself or for any call of its batch (a batch's error lists each failed call as "ERR [i] ...").
     */
    public static boolean isNoScript(Throwable failure) {
        String message = failure == null ? null : failure.getMessage();
        return message != null && (message.startsWith("NOSCRIPT") || message.contains("] NOSCRIPT"));
    }

    private static Request withKeys(Request request, List<String> keys) {
        request.arg(keys.size());
        for (String key : keys) {
            request.arg(key);
        }
        return request;
    }

    private static String sha1(String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            // every JDK ships SHA-1 (it is required of the platform)
            throw new IllegalStateException(e);
        }
    }
}
