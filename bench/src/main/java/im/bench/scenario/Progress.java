package im.bench.scenario;

import java.io.PrintStream;

/** The progress line a run prints while it goes (once a second at most). */
public final class Progress {

    private final PrintStream out;

    public Progress(PrintStream out) {
        this.out = out;
    }

    public static Progress silent() {
        return new Progress(null);
    }

    public void line(String text) {
        if (out != null) {
            out.println(text);
            out.flush();
        }
    }
}
