package im.client.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the command line reads from its surroundings, passed in so that tests run it with a
 * temporary home and captured streams. {@code interactive} is true when a person types at a
 * terminal (passwords are then read without echo).
 */
public record CliContext(Path home, InputStream in, PrintStream out, PrintStream err, boolean interactive) {

    /** Home of the profiles: {@code IM_HOME}, else {@code ~/.im}. */
    static Path homeFrom(Map<String, String> env, String userHome) {
        String configured = env.get("IM_HOME");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(userHome, ".im");
    }

    public static CliContext system() {
        return new CliContext(homeFrom(System.getenv(), System.getProperty("user.home")),
                System.in, System.out, System.err, System.console() != null);
    }
}
