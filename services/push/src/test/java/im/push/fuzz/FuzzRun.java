package im.push.fuzz;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Settings and tallies of one fuzz run. The input count and seed come from system properties so
 * the same test runs small in CI and big by hand:
 * {@code -Dim.fuzz.inputs=1000000 -Dim.fuzz.seed=42}. The seed is printed; the same seed and
 * count replay the same inputs.
 */
public final class FuzzRun {

    /** Fixed, so CI runs the same inputs every time; a long run picks its own with -Dim.fuzz.seed. */
    static final long DEFAULT_SEED = 0x1F_2026L;

    public final String target;
    public final long seed;
    public final int inputs;
    final long startedNanos = System.nanoTime();
    public long closes;
    public long errorsAnswered;
    public long escapes;
    public long broken;
    /** Frames that decoded (valid ones in the corpus, and mutations that still parse). */
    public long decoded;
    private final List<String> failures = new ArrayList<>();

    private FuzzRun(String target, long seed, int inputs) {
        this.target = target;
        this.seed = seed;
        this.inputs = inputs;
    }

    /** A run of {@code im.fuzz.inputs} (or {@code ciInputs}) inputs, its seed printed. */
    public static FuzzRun start(String target, String inputsProperty, int ciInputs) {
        long seed = Long.getLong("im.fuzz.seed", DEFAULT_SEED);
        int inputs = Integer.getInteger(inputsProperty, Integer.getInteger("im.fuzz.inputs", ciInputs));
        System.out.printf("fuzz %s: seed %d, %d inputs (replay: -Dim.fuzz.seed=%d -D%s=%d)%n",
                target, seed, inputs, seed, inputsProperty, inputs);
        return new FuzzRun(target, seed, inputs);
    }

    /** Records a broken promise; the first few are kept with their input for the report. */
    public void fail(int input, byte[] bytes, String what) {
        broken++;
        if (failures.size() < 10) {
            failures.add(String.format("input %d (seed %d): %s; bytes %s", input, seed, what,
                    HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 256))));
        }
    }

    public List<String> failures() {
        return failures;
    }

    public boolean failed() {
        return broken > 0;
    }

    public String summary(int leaks) {
        return String.format("fuzz %s: seed %d, inputs %d, frames decoded %d, errors answered %d, closes %d, escapes %d, leaks %d, broken promises %d, %d ms",
                target, seed, inputs, decoded, errorsAnswered, closes, escapes, leaks, broken,
                (System.nanoTime() - startedNanos) / 1_000_000);
    }
}
