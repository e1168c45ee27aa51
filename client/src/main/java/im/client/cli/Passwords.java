package im.client.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Where a password comes from: the option, else the terminal without echo, else one line of stdin. */
final class Passwords {

    /** Longer than any password auth accepts (128), so auth's own check is the one that speaks. */
    private static final int MAX_LINE = 1024;

    private Passwords() {
    }

    static String read(CliContext context, String fromOption, String prompt) {
        if (fromOption != null) {
            return fromOption;
        }
        Console console = System.console();
        if (context.interactive() && console != null) {
            char[] typed = console.readPassword("%s", prompt);
            if (typed == null) {
                throw new CliException("no password given");
            }
            return new String(typed);
        }
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(context.in(), StandardCharsets.UTF_8));
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = reader.read()) != -1 && c != '\n') {
                if (line.length() >= MAX_LINE) {
                    throw new CliException("password line longer than " + MAX_LINE + " characters");
                }
                line.append((char) c);
            }
            String password = line.toString().replace("\r", "");
            if (password.isEmpty()) {
                throw new CliException("no password given: use --password, or type it when asked");
            }
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
