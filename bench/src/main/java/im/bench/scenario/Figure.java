package im.bench.scenario;

/** One number of a run, with its unit and which direction is good (for reading the ratio). */
public record Figure(String name, double value, String unit, boolean higherIsBetter) {
}
