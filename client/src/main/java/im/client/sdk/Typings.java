package im.client.sdk;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Which of the application's typing reports this device sends: per conversation at most one
 * "typing" every {@value #REPEAT_AFTER_SECONDS} s, however often the application reports a
 * keystroke (a receiver keeps showing it for about 6 s, so one every 3 s keeps it shown), and
 * every "stopped". Remembers the last "typing" of at most {@code maxConversations}
 * conversations, the longest unused forgotten first (a forgotten one may send again at once).
 */
final class Typings {

    static final int REPEAT_AFTER_SECONDS = 3;
    private static final long REPEAT_AFTER_NANOS = TimeUnit.SECONDS.toNanos(REPEAT_AFTER_SECONDS);

    private final LinkedHashMap<String, Long> lastStarted;

    Typings(int maxConversations) {
        this.lastStarted = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > maxConversations;
            }
        };
    }

    /** Whether to send this report; a "typing" sent counts from {@code nowNanos}. */
    synchronized boolean send(String conversationId, boolean typing, long nowNanos) {
        if (!typing) {
            return true;
        }
        Long last = lastStarted.get(conversationId);
        if (last != null && nowNanos - last < REPEAT_AFTER_NANOS) {
            return false;
        }
        lastStarted.put(conversationId, nowNanos);
        return true;
    }
}
