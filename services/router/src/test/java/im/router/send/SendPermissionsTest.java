package im.router.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.grpc.GrpcErrors;
import im.protocol.client.ErrorCode;
import im.protocol.user.CheckSendResponse.Decision;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The remembered permissions, on a clock and a user directory the test controls. */
class SendPermissionsTest {

    private static final Duration TTL = Duration.ofSeconds(60);

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicReference<Decision> decision = new AtomicReference<>(Decision.ALLOWED);
    private final List<SendPermissions.SendPair> asked = new ArrayList<>();
    // Background questions, run when the test says.
    private final List<Runnable> refreshes = new ArrayList<>();
    // Runs inside the next question to the user directory, as if an ending arrived meanwhile.
    private Runnable duringNextQuestion = () -> { };
    private final SendPermissions permissions = new SendPermissions(config(), pair -> {
        asked.add(pair);
        Runnable during = duringNextQuestion;
        duringNextQuestion = () -> { };
        during.run();
        Decision answer = decision.get();
        if (answer == null) {
            throw Status.UNAVAILABLE.asRuntimeException();
        }
        return answer;
    }, nanos::get, refreshes::add);

    @Test
    void anAllowedPairIsAskedAboutOnceWhileItIsFresh() {
        permissions.require(1, 2);
        advance(Duration.ofSeconds(14));
        permissions.require(1, 2);
        permissions.require(1, 2);

        runRefreshes();
        assertEquals(1, asked.size());
    }

    @Test
    void aPairInUseIsAskedAgainInTheBackgroundAndTheSendDoesNotWait() {
        permissions.require(1, 2);
        advance(Duration.ofSeconds(31));

        permissions.require(1, 2);  // answered from memory; the question goes to the refresher

        assertEquals(1, asked.size());
        runRefreshes();
        assertEquals(2, asked.size());
        // Refreshed, so it lives past the first answer's expiry without a question in the send.
        advance(Duration.ofSeconds(40));
        permissions.require(1, 2);
        assertEquals(2, asked.size());
    }

    @Test
    void aPairNoLongerAllowedIsForgottenAtItsRefresh() {
        permissions.require(1, 2);
        advance(Duration.ofSeconds(31));
        decision.set(Decision.NOT_FRIENDS);
        permissions.require(1, 2);
        runRefreshes();

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> permissions.require(1, 2));
        assertEquals(ErrorCode.NOT_FRIENDS, GrpcErrors.codeOf(refused));
    }

    @Test
    void aFailedRefreshKeepsThePairUntilItExpires() {
        permissions.require(1, 2);
        advance(Duration.ofSeconds(31));
        decision.set(null);
        permissions.require(1, 2);
        runRefreshes();

        permissions.require(1, 2);  // still allowed: the user directory did not say otherwise
        advance(Duration.ofSeconds(30));
        StatusRuntimeException unavailable = assertThrows(StatusRuntimeException.class,
                () -> permissions.require(1, 2));
        assertEquals(ErrorCode.UNAVAILABLE, GrpcErrors.codeOf(unavailable));
    }

    @Test
    void withoutAskingOnlyAPairAllowedBeforeIsAllowedAndNobodyIsAsked() {
        assertFalse(permissions.allowedWithoutAsking(1, 2));
        assertEquals(0, asked.size(), "an unknown pair is left to require(), which may wait");

        permissions.require(1, 2);
        advance(Duration.ofSeconds(31));

        assertTrue(permissions.allowedWithoutAsking(1, 2));
        assertEquals(1, asked.size());
        runRefreshes();
        assertEquals(2, asked.size(), "a pair due is asked again in the background, as by require()");
    }

    @Test
    void aRefusalIsNeverRemembered() {
        decision.set(Decision.NOT_FRIENDS);
        assertThrows(StatusRuntimeException.class, () -> permissions.require(1, 2));
        decision.set(Decision.ALLOWED);

        permissions.require(1, 2);

        assertEquals(2, asked.size());
    }

    @Test
    void pairsAllowedTogetherAreAskedAboutAgainAtDifferentMoments() {
        for (long receiver = 2; receiver < 102; receiver++) {
            permissions.require(1, receiver);
        }
        advance(Duration.ofMillis(22_500));  // halfway between the earliest and the latest moment
        for (long receiver = 2; receiver < 102; receiver++) {
            permissions.require(1, receiver);
        }
        runRefreshes();

        int askedAgain = asked.size() - 100;
        assertTrue(askedAgain > 0 && askedAgain < 100, askedAgain + " of 100 asked again at once");
    }

    @Test
    void anEndedFriendshipIsForgottenInBothDirectionsAtOnce_soTheNextSendAsksAndIsRefused() {
        permissions.require(1, 2);
        permissions.require(2, 1);
        assertEquals(2, asked.size());

        decision.set(Decision.NOT_FRIENDS);
        permissions.endingListener().ended(2, 1);

        assertFalse(permissions.allowedWithoutAsking(1, 2));
        assertFalse(permissions.allowedWithoutAsking(2, 1));
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> permissions.require(1, 2));
        assertEquals(ErrorCode.NOT_FRIENDS, GrpcErrors.codeOf(refused));
        assertEquals(3, asked.size(), "asked again, long before the pair's lifetime is over");
    }

    @Test
    void anEndingOfAnotherPairKeepsThisOne() {
        permissions.require(1, 2);

        permissions.endingListener().ended(1, 3);

        assertTrue(permissions.allowedWithoutAsking(1, 2));
        assertEquals(1, asked.size());
    }

    @Test
    void whenEndingsMayHaveBeenMissedEveryPairIsForgotten() {
        permissions.require(1, 2);
        permissions.require(3, 4);

        permissions.endingListener().missedEndings();

        assertFalse(permissions.allowedWithoutAsking(1, 2));
        assertFalse(permissions.allowedWithoutAsking(3, 4));
        permissions.require(1, 2);
        assertEquals(3, asked.size());
    }

    @Test
    void anAllowedAnswerAskedForWhileTheFriendshipEnded_isNotKept() {
        // The user directory read the friendship before the removal committed; the notice came
        // while its answer was on the way.
        duringNextQuestion = () -> permissions.endingListener().ended(1, 2);

        permissions.require(1, 2);

        assertFalse(permissions.allowedWithoutAsking(1, 2), "the stale answer let this one send, no more");
        decision.set(Decision.NOT_FRIENDS);
        assertThrows(StatusRuntimeException.class, () -> permissions.require(1, 2));
    }

    @Test
    void aBackgroundAnswerAskedForWhileTheFriendshipEnded_isNotKept() {
        permissions.require(1, 2);
        advance(Duration.ofSeconds(31));
        permissions.require(1, 2);  // due: the question goes to the refresher
        duringNextQuestion = () -> permissions.endingListener().ended(1, 2);

        runRefreshes();

        assertFalse(permissions.allowedWithoutAsking(1, 2));
    }

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    private void runRefreshes() {
        List<Runnable> due = new ArrayList<>(refreshes);
        refreshes.clear();
        due.forEach(Runnable::run);
    }

    private static SendConfig config() {
        return new SendConfig() {
            @Override
            public int maxBodyBytes() {
                return 16384;
            }

            @Override
            public int maxTextLength() {
                return 4000;
            }

            @Override
            public int maxMentions() {
                return 50;
            }

            @Override
            public Duration checkTimeout() {
                return Duration.ofSeconds(3);
            }

            @Override
            public Duration allowedTtl() {
                return TTL;
            }

            @Override
            public int allowedCacheSize() {
                return 100;
            }

            @Override
            public int batchSize() {
                return 16;
            }

            @Override
            public int queue() {
                return 16;
            }
        };
    }
}
