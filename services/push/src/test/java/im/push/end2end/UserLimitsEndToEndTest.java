package im.push.end2end;

import static im.push.end2end.TestUsers.befriend;
import static im.push.end2end.TestUsers.sendAck;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import im.common.testing.TestTokensResource;
import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import im.protocol.client.Send;
import im.protocol.user.UserDirectoryGrpc;
import im.push.end2end.TestUsers.User;
import im.push.limit.UserLimitsProfile;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The per-user limits seen from real devices: sends over all of a user's devices, devices at once. */
@QuarkusTest
@TestProfile(UserLimitsProfile.class)
@QuarkusTestResource(TestTokensResource.class)
class UserLimitsEndToEndTest {

    private static final int TCP_PORT = 17005;
    private static final int WS_PORT = 17006;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    private static Frame send(long requestId, long to) {
        return Frame.newBuilder().setRequestId(requestId).setSend(Send.newBuilder()
                .setClientMsgId(UUID.randomUUID().toString()).setToUserId(to)
                .setBody(ByteString.copyFrom("hi", StandardCharsets.UTF_8))).build();
    }

    @Test
    void sendsBeyondTheUsersLimitOverAllItsDevicesAreRefusedWithTheWait_andOthersStillSend() throws Exception {
        User alice = TestUsers.create(users, "limit-sender");
        User bob = TestUsers.create(users, "limit-friend");
        befriend(alice, bob);
        try (TcpDevice phone = new TcpDevice(TCP_PORT); WebSocketDevice laptop = new WebSocketDevice(WS_PORT);
                TcpDevice bobPhone = new TcpDevice(TCP_PORT)) {
            phone.hello(1, alice.token(), "phone").getHelloOk();
            laptop.hello(1, alice.token(), "laptop").getHelloOk();
            bobPhone.hello(1, bob.token(), "phone").getHelloOk();

            int acked = 0;
            for (int i = 0; i < 3; i++) {
                phone.send(send(10 + i, bob.id()));
                acked += sendAck(phone.answerTo(10 + i)).getSeq() > 0 ? 1 : 0;
            }
            for (int i = 0; i < 2; i++) {
                laptop.send(send(20 + i, bob.id()));
                acked += sendAck(laptop.answerTo(20 + i)).getSeq() > 0 ? 1 : 0;
            }
            laptop.send(send(30, bob.id()));
            Frame refused = laptop.answerTo(30);

            assertEquals(UserLimitsProfile.SENDS, acked);
            assertEquals(ErrorCode.RATE_LIMITED, refused.getError().getCode(), refused::toString);
            long wait = refused.getError().getRetryAfterMs();
            assertTrue(wait > 0 && wait <= 60_000, "retry_after_ms " + wait);
            bobPhone.send(send(40, alice.id()));
            assertTrue(sendAck(bobPhone.answerTo(40)).getSeq() > 0, "bob's own sends are his own budget");
        }
    }

    @Test
    void aDeviceBeyondTheUsersLimitIsRefused_whileAConnectedDeviceMayReconnect() throws Exception {
        User carol = TestUsers.create(users, "limit-devices");
        try (TcpDevice phone = new TcpDevice(TCP_PORT); WebSocketDevice laptop = new WebSocketDevice(WS_PORT);
                TcpDevice tablet = new TcpDevice(TCP_PORT)) {
            phone.hello(1, carol.token(), "phone").getHelloOk();
            laptop.hello(1, carol.token(), "laptop").getHelloOk();

            Frame third = tablet.hello(1, carol.token(), "tablet");
            assertEquals(ErrorCode.RATE_LIMITED, third.getError().getCode(), third::toString);
            tablet.awaitClosed();

            try (TcpDevice phoneAgain = new TcpDevice(TCP_PORT)) {
                Frame again = phoneAgain.hello(1, carol.token(), "phone");
                assertEquals(carol.id(), again.getHelloOk().getUserId(), again::toString);
            }
        }
    }
}
