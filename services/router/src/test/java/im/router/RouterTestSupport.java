package im.router;

import static io.restassured.RestAssured.given;

import com.google.protobuf.ByteString;
import im.common.service.ServiceName;
import im.common.testing.TestServiceTokens;
import im.common.testing.TestTokens;
import im.common.token.GrpcAccessTokens;
import im.protocol.client.Send;
import im.protocol.router.RouterGrpc;
import im.protocol.router.SendRequest;
import im.protocol.user.CreateProfileRequest;
import im.protocol.user.UserDirectoryGrpc;
import io.agroal.api.AgroalDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Users, friendships, sends and row reads for the router's tests, all through the real services. */
public final class RouterTestSupport {

    // One app boot serves every test class: each user gets an id no other test uses.
    private static final AtomicLong NEXT_ID = new AtomicLong(5000);

    private RouterTestSupport() {
    }

    public record TestUser(long id, String username, String token) {
    }

    public static TestUser newUser(UserDirectoryGrpc.UserDirectoryBlockingStub users) {
        long id = NEXT_ID.incrementAndGet();
        String username = "user-" + id;
        users.withCallCredentials(TestServiceTokens.as(ServiceName.AUTH, ServiceName.USER))
                .createProfile(CreateProfileRequest.newBuilder()
                .setUserId(id).setUsername(username).setDisplayName("User " + id).build());
        return new TestUser(id, username, TestTokens.issue(id, username));
    }

    /** An id with no profile. */
    public static long unknownUserId() {
        return NEXT_ID.incrementAndGet() + 1_000_000;
    }

    /** Makes two users friends through the user service's REST API: a asks, b accepts. */
    public static void befriend(TestUser a, TestUser b) {
        long requestId = given().auth().oauth2(a.token())
                .contentType("application/json").body("{\"toUserId\":" + b.id() + "}")
                .post("/friends/requests")
                .then().statusCode(201)
                .extract().jsonPath().getLong("requestId");
        given().auth().oauth2(b.token())
                .post("/friends/requests/" + requestId + "/accept")
                .then().statusCode(200);
    }

    public static RouterGrpc.RouterBlockingStub as(RouterGrpc.RouterBlockingStub router, String token) {
        return router.withCallCredentials(GrpcAccessTokens.bearer(token)).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public static SendRequest send(String deviceId, long to, String clientMsgId, String text) {
        return SendRequest.newBuilder().setDeviceId(deviceId)
                .setSend(Send.newBuilder().setClientMsgId(clientMsgId).setToUserId(to)
                        .setBody(ByteString.copyFrom(text, StandardCharsets.UTF_8)))
                .build();
    }

    public static SendRequest toGroup(String deviceId, long groupId, String text) {
        return SendRequest.newBuilder().setDeviceId(deviceId)
                .setSend(Send.newBuilder().setClientMsgId(newClientMsgId()).setGroupId(groupId)
                        .setBody(ByteString.copyFrom(text, StandardCharsets.UTF_8)))
                .build();
    }

    /** A send carrying the device's own number for it (client_seq). */
    public static SendRequest numbered(String deviceId, long to, String clientMsgId, long clientSeq, String text) {
        SendRequest plain = send(deviceId, to, clientMsgId, text);
        return plain.toBuilder().setSend(plain.getSend().toBuilder().setClientSeq(clientSeq)).build();
    }

    public static String newClientMsgId() {
        return UUID.randomUUID().toString();
    }

    public static long count(AgroalDataSource db, String sql, Object... args) throws SQLException {
        return longs(db, sql, args).get(0);
    }

    public static List<Long> longs(AgroalDataSource db, String sql, Object... args) throws SQLException {
        try (Connection connection = db.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, args);
            try (ResultSet rows = statement.executeQuery()) {
                List<Long> values = new ArrayList<>();
                while (rows.next()) {
                    values.add(rows.getLong(1));
                }
                return values;
            }
        }
    }

    /** Changes rows behind the router's back, as another node would. */
    public static void update(AgroalDataSource db, String sql, Object... args) throws SQLException {
        try (Connection connection = db.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, args);
            statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
    }
}
