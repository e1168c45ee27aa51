package im.client.sdk;

import im.protocol.client.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a lost connection is judged; the reconnecting itself is proven in ReliableDeliveryTest. */
class ConnectorTest {

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = {
            "SESSION_REPLACED", "SESSION_REVOKED", "UNAUTHENTICATED", "PERMISSION_DENIED", "INVALID_ARGUMENT"})
    void lossThatAReconnectCannotMend_isFinal(ErrorCode code) {
        assertTrue(Connector.isFinal(new ImErrorException(code, "")));
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = {"TOKEN_EXPIRED", "UNAVAILABLE", "GOING_AWAY", "INTERNAL"})
    void passingLoss_isNotFinal(ErrorCode code) {
        assertFalse(Connector.isFinal(new ImErrorException(code, "")));
    }

    @Test
    void networkFailure_isNotFinal() {
        assertFalse(Connector.isFinal(new IOException("connection reset")));
    }

    @Test
    void goingAway_delaysTheReconnectByWhatTheNodeAsks_atMostAMinute() {
        assertEquals(1_500, Connector.goingAwayDelay(new ImErrorException(ErrorCode.GOING_AWAY, " 1500 ")));
        assertEquals(60_000, Connector.goingAwayDelay(new ImErrorException(ErrorCode.GOING_AWAY, "3600000")));
        assertEquals(0, Connector.goingAwayDelay(new ImErrorException(ErrorCode.GOING_AWAY, "-5")));
    }

    @Test
    void goingAwayWithoutANumber_andOtherLosses_addNoDelay() {
        assertEquals(0, Connector.goingAwayDelay(new ImErrorException(ErrorCode.GOING_AWAY, "soon")));
        assertEquals(0, Connector.goingAwayDelay(new ImErrorException(ErrorCode.GOING_AWAY, null)));
        assertEquals(0, Connector.goingAwayDelay(new ImErrorException(ErrorCode.UNAVAILABLE, "1500")));
        assertEquals(0, Connector.goingAwayDelay(new IOException("1500")));
    }
}
