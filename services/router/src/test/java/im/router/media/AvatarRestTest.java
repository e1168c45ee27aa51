package im.router.media;

import static im.router.RouterTestSupport.count;
import static im.router.RouterTestSupport.newUser;
import static im.router.RouterTestSupport.unknownUserId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import im.common.service.ServiceName;
import im.common.testing.TestServiceTokens;
import im.common.testing.TestTokens;
import im.common.testing.TestTokensResource;
import im.protocol.client.ConversationIds;
import im.protocol.client.MediaSpaces;
import im.protocol.user.GetUserRequest;
import im.protocol.user.User;
import im.protocol.user.UserDirectoryGrpc;
import im.router.RouterTestSupport.TestUser;
import im.router.store.Transactions;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Avatars over the router's REST API: stored in the user's own space, named in the real user service's profile. */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class AvatarRestTest {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String BLOB_ID = "[A-Za-z0-9_-]{43}";

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    @Inject
    @DataSource(Transactions.DATASOURCE)
    AgroalDataSource db;

    @Inject
    MediaConfig config;

    @Test
    void avatarSetByItsOwner_isNamedInTheProfileAndReadByAnyoneSignedIn_withItsThumbnail() throws SQLException {
        TestUser alice = newUser(users);
        TestUser stranger = newUser(users);
        byte[] png = TestImages.picture(800, 600, "png");

        JsonPath avatar = as(alice).contentType("image/png").body(png).put("/media/avatar")
                .then().statusCode(200).contentType("application/json")
                .body("userId", equalTo((int) alice.id()))
                .body("space", equalTo(MediaSpaces.avatarOf(alice.id())))
                .body("blobId", matchesPattern(BLOB_ID))
                .body("thumbnailBlobId", matchesPattern(BLOB_ID))
                .body("mimeType", equalTo("image/png"))
                .body("width", equalTo(800))
                .body("height", equalTo(600))
                .extract().jsonPath();
        String space = avatar.getString("space");

        User profile = profile(alice);
        assertEquals(avatar.getString("blobId"), profile.getAvatarBlobId());
        assertEquals(avatar.getString("thumbnailBlobId"), profile.getAvatarThumbnailBlobId());
        Response image = as(stranger).get("/media/" + space + "/" + profile.getAvatarBlobId());
        image.then().statusCode(200).header("Content-Type", "image/png").header("X-Content-Type-Options", "nosniff");
        assertArrayEquals(png, image.asByteArray());
        BufferedImage thumbnail = TestImages.decode(as(stranger).get("/media/" + space + "/"
                + profile.getAvatarThumbnailBlobId()).then().statusCode(200).extract().asByteArray());
        assertEquals(320, thumbnail.getWidth());
        assertEquals(240, thumbnail.getHeight());
        assertEquals(2, count(db, "SELECT COUNT(*) FROM media_blob WHERE conversation_id = ? AND uploader_id = ?",
                space, alice.id()));
    }

    @Test
    void newAvatar_replacesTheOldInTheProfile() {
        TestUser alice = newUser(users);
        String first = as(alice).contentType("image/jpeg").body(TestImages.picture(100, 100, "jpeg")).put("/media/avatar")
                .then().statusCode(200).extract().path("blobId");
        String second = as(alice).contentType("image/gif").body(TestImages.picture(64, 48, "gif")).put("/media/avatar")
                .then().statusCode(200).body("mimeType", equalTo("image/gif")).extract().path("blobId");

        assertNotEquals(first, second);
        assertEquals(second, profile(alice).getAvatarBlobId());
    }

    @Test
    void avatarThatIsNoReadableImageOrTooLarge_isRefusedAndTheProfileKeepsItsAvatar() {
        TestUser alice = newUser(users);
        String kept = as(alice).contentType("image/png").body(TestImages.picture(50, 50, "png")).put("/media/avatar")
                .then().statusCode(200).extract().path("blobId");

        refused(as(alice).contentType("text/plain").body("hello".getBytes()), 415, "UNSUPPORTED_TYPE");
        refused(as(alice).contentType("image/webp").body(new byte[] {1, 2, 3}), 415, "UNSUPPORTED_TYPE");
        refused(as(alice).contentType("image/png").body("not a png at all".getBytes()), 400, "INVALID_IMAGE");
        refused(as(alice).contentType("image/png").body(TestImages.pngHeaderClaiming(50_000, 50_000)), 400,
                "IMAGE_TOO_LARGE");
        refused(as(alice).contentType("image/png").body(new byte[(int) config.avatarMaxBytes() + 1]), 413, "TOO_LARGE");
        given().contentType("image/png").body(TestImages.picture(10, 10, "png")).put("/media/avatar")
                .then().statusCode(401);

        assertEquals(kept, profile(alice).getAvatarBlobId());
    }

    @Test
    void avatarSpace_takesNoUploadButTheOwnersAvatar_andAnswersOnlyItsOwnBlobs() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        String aliceSpace = MediaSpaces.avatarOf(alice.id());
        String avatar = as(alice).contentType("image/png").body(TestImages.picture(40, 40, "png")).put("/media/avatar")
                .then().statusCode(200).extract().path("blobId");
        String chat = ConversationIds.privateChat(alice.id(), bob.id());
        String attachment = as(alice).contentType("image/png").body(TestImages.picture(40, 40, "png"))
                .post("/media/" + chat).then().statusCode(201).extract().path("blobId");

        // Nobody, not even its owner, uploads into an avatar space as if it were a conversation.
        as(bob).contentType("image/png").body(TestImages.picture(10, 10, "png")).post("/media/" + aliceSpace)
                .then().statusCode(400).contentType(PROBLEM_JSON).body("code", equalTo("INVALID_ARGUMENT"));
        as(alice).contentType("image/png").body(TestImages.picture(10, 10, "png")).post("/media/" + aliceSpace)
                .then().statusCode(400);
        // A blob is read through its own space only: a conversation's attachment is no avatar, an
        // avatar is not another user's, and a malformed space names nothing.
        unknownBlob(as(bob).get("/media/" + aliceSpace + "/" + attachment));
        unknownBlob(as(bob).get("/media/" + MediaSpaces.avatarOf(bob.id()) + "/" + avatar));
        unknownBlob(as(bob).get("/media/u:0" + alice.id() + "/" + avatar));
        unknownBlob(as(bob).get("/media/u:x/" + avatar));
        unknownBlob(as(bob).get("/media/" + chat + "/" + avatar));
        given().get("/media/" + aliceSpace + "/" + avatar).then().statusCode(401);
    }

    @Test
    void accountWithoutProfile_isRefusedAnAvatar() {
        long id = unknownUserId();
        given().auth().oauth2(TestTokens.issue(id, "ghost-" + id)).contentType("image/png")
                .body(TestImages.picture(20, 20, "png")).put("/media/avatar")
                .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("UNKNOWN_USER"));
    }

    private User profile(TestUser user) {
        return users.withCallCredentials(TestServiceTokens.as(ServiceName.ROUTER, ServiceName.USER))
                .getUser(GetUserRequest.newBuilder().setUserId(user.id()).build()).getUser();
    }

    private static void refused(RequestSpecification request, int status, String code) {
        request.put("/media/avatar").then().statusCode(status).contentType(PROBLEM_JSON).body("code", equalTo(code));
    }

    private static void unknownBlob(Response response) {
        response.then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("UNKNOWN_BLOB"));
    }

    private static RequestSpecification as(TestUser user) {
        return given().auth().oauth2(user.token());
    }
}
