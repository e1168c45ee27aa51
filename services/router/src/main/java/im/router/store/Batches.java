package im.router.store;

/**
 * The row counts a JDBC batch answers. The writer sends the statements of a kind for a whole batch
 * of writes as one JDBC batch: one statement prepared per transaction rather than one per row.
 */
public final class Batches {

    private Batches() {
    }

    /**
     * Whether every statement changed exactly one row: every compare-and-set of the batch held. A
     * count the driver does not know ({@code SUCCESS_NO_INFO}) is not taken for a success.
     */
    public static boolean allChangedOne(int[] counts) {
        for (int count : counts) {
            if (count != 1) {
                return false;
            }
        }
        return true;
    }
}
