package im.common.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;

/** For tests of an app that must not boot: what its failure says, causes and suppressed ones included. */
public final class BootFailures {

    private BootFailures() {
    }

    /** Every message of the failure, its causes and what they suppressed, one per line. */
    public static String messagesOf(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
            for (Throwable suppressed : t.getSuppressed()) {
                messages.append(suppressed.getMessage()).append('\n');
            }
        }
        return messages.toString();
    }

    /** An assertion for {@code QuarkusUnitTest.assertException}: the failure says {@code expected}. */
    public static Consumer<Throwable> saying(String expected) {
        return failure -> {
            String messages = messagesOf(failure);
            assertTrue(messages.contains(expected), messages);
        };
    }
}
