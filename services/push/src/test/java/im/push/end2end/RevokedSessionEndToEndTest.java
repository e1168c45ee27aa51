package im.push.end2end;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import im.common.testing.TestTokens;
import im.common.testing.TestTokensResource;
import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import im.protocol.client.Ping;
import im.protocol.client.Reauthenticate;
import im.protocol.user.UserDirectoryGrpc;
import im.push.end2end.TestUsers.User;
import im.redis.RedisKeys;
import im.redis.revocation.RedisRevocationConfig;
import im.redis.revocation.RedisSessionRevocations;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A revocation made elsewhere (here: a second revocation node on the same Redis, as auth is in a
 * cluster) reaches this push node over Redis and closes the live sessions it ends, with
 * SESSION_REVOKED; the revoked token then opens no session.
 */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class RevokedSessionEndToEndTest {

    private static final int TCP_PORT = 17005;
    private static final int WS_PORT = 17006;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;
    @Inject
    Redis redis;
    @Inject
    RedisKeys keys;
    @Inject
    Vertx vertx;
    @Inject
    RedisRevocationConfig config;

    private RedisSessionRevocations auth;

    @BeforeEach
    void startAuthsRevocations() {
        auth = new RedisSessionRevocations(redis, keys, vertx, config);
        auth.start();
    }

    @AfterEach
    void stopAuthsRevocations() {
        auth.stop();
    }

    @Test
    void aRevokedSessionsSocketGetsSessionRevokedAndCloses_andItsTokenOpensNoNewSession() throws Exception {
        User user = TestUsers.create(users, "revoked");
        String phoneToken = TestTokens.issueForSession(user.id(), user.username(), "login-phone-" + user.id());
        String laptopToken = TestTokens.issueForSession(user.id(), user.username(), "login-laptop-" + user.id());
        try (TcpDevice phone = new TcpDevice(TCP_PORT); WebSocketDevice laptop = new WebSocketDevice(WS_PORT)) {
            assertEquals(Frame.BodyCase.HELLO_OK, phone.hello(1, phoneToken, "phone").getBodyCase());
            assertEquals(Frame.BodyCase.HELLO_OK, laptop.hello(1, laptopToken, "laptop").getBodyCase());

            auth.revokeSession(user.id(), "login-phone-" + user.id(), Instant.now().plus(Duration.ofMinutes(15)));

            Frame error = phone.take(Frame.BodyCase.ERROR);
            assertEquals(ErrorCode.SESSION_REVOKED, error.getError().getCode());
            assertEquals(0, error.getRequestId());
            phone.awaitClosed();
            laptop.send(Frame.newBuilder().setRequestId(2).setPing(Ping.getDefaultInstance()).build());
            assertEquals(Frame.BodyCase.PONG, laptop.answerTo(2).getBodyCase(), "the other login stays");
            // the laptop may not take the revoked login's token over either
            laptop.send(Frame.newBuilder().setRequestId(3).setReauthenticate(Reauthenticate.newBuilder()
                    .setAccessToken(phoneToken)).build());
            assertEquals(ErrorCode.SESSION_REVOKED, laptop.answerTo(3).getError().getCode());
            assertFalse(laptop.isClosed());
        }
        try (TcpDevice again = new TcpDevice(TCP_PORT)) {
            Frame answer = again.hello(1, phoneToken, "phone");

            assertEquals(ErrorCode.SESSION_REVOKED, answer.getError().getCode());
            again.awaitClosed();
        }
    }

    @Test
    void revokingAUserClosesEverySessionOfTokensIssuedBefore() throws Exception {
        User user = TestUsers.create(users, "banned");
        try (TcpDevice phone = new TcpDevice(TCP_PORT); WebSocketDevice laptop = new WebSocketDevice(WS_PORT)) {
            assertEquals(Frame.BodyCase.HELLO_OK, phone.hello(1,
                    TestTokens.issueForSession(user.id(), user.username(), "a-" + user.id()), "phone").getBodyCase());
            assertEquals(Frame.BodyCase.HELLO_OK, laptop.hello(1,
                    TestTokens.issueForSession(user.id(), user.username(), "b-" + user.id()), "laptop").getBodyCase());

            Instant afterBoth = Instant.now().plusSeconds(1);
            auth.revokeUser(user.id(), afterBoth, afterBoth.plus(Duration.ofMinutes(15)));

            assertEquals(ErrorCode.SESSION_REVOKED, phone.take(Frame.BodyCase.ERROR).getError().getCode());
            assertEquals(ErrorCode.SESSION_REVOKED, laptop.take(Frame.BodyCase.ERROR).getError().getCode());
            phone.awaitClosed();
            laptop.awaitClosed();
        }
    }
}
