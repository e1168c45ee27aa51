package im.push.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.throttle.AttemptCounter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Two push nodes' send limits over the counter they share (the real Redis form): what one node
 * counted is held against the user's sends on the other once it was shared.
 */
@QuarkusTest
@TestProfile(UserLimitsProfile.class)
class UserSendRateSharingTest {

    private static final Duration WINDOW = Duration.ofMinutes(1);

    @Inject
    AttemptCounter shared;

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    private UserSendRate node() {
        return new UserSendRate(shared, 10, WINDOW, Duration.ofHours(1), clock::get);
    }

    private static int admitted(UserSendRate node, long userId, int sends) {
        int admitted = 0;
        for (int i = 0; i < sends; i++) {
            if (node.trySend(userId).admitted()) {
                admitted++;
            }
        }
        return admitted;
    }

    @Test
    void sendsCountedOnOneNodeAreHeldAgainstTheUserOnAnotherOnceShared() {
        long userId = ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE);
        UserSendRate first = node();
        UserSendRate second = node();

        assertEquals(6, admitted(first, userId, 6));
        first.share();
        second.trySend(userId);
        second.share(); // learns the 6 counted on the first node, besides its own one

        assertEquals(3, admitted(second, userId, 5), "10 in all: 6 on the first node, 4 on the second");
        UserSendRate.Verdict refused = second.trySend(userId);
        assertFalse(refused.admitted());
        assertTrue(refused.retryAfter().compareTo(Duration.ZERO) > 0
                && refused.retryAfter().compareTo(WINDOW) <= 0, refused.toString());
    }

    @Test
    void aNodeNeverAdmitsMoreThanTheLimitByItself_andAdmitsAgainInTheNextWindow() {
        long userId = ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE);
        UserSendRate node = new UserSendRate(shared, 10, Duration.ofMillis(100), Duration.ofHours(1), clock::get);

        assertEquals(10, admitted(node, userId, 25));
        clock.addAndGet(Duration.ofMillis(100).toNanos());

        assertEquals(10, admitted(node, userId, 25));
    }
}
