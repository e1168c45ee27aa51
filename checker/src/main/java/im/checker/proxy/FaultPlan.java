package im.checker.proxy;

/**
 * What the proxy does to frames, each decision made per frame with its own probability.
 *
 * @param dropRate probability that a frame is swallowed (never reaches the other side)
 * @param delayRate probability that a frame is held back for a random time up to {@code maxDelayMillis};
 *     later frames of the same direction wait behind it, as they would behind a slow TCP segment
 * @param maxDelayMillis longest hold of a delayed frame
 * @param killRate probability that the connection is cut (both sides) at this frame, just before or
 *     just after forwarding it
 */
public record FaultPlan(double dropRate, double delayRate, long maxDelayMillis, double killRate) {

    public static final FaultPlan NONE = new FaultPlan(0, 0, 0, 0);

    public FaultPlan {
        probability(dropRate, "dropRate");
        probability(delayRate, "delayRate");
        probability(killRate, "killRate");
        if (maxDelayMillis < 0 || maxDelayMillis > 600_000) {
            throw new IllegalArgumentException("maxDelayMillis must be 0..600000");
        }
    }

    private static void probability(double p, String name) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1]: " + p);
        }
    }
}
