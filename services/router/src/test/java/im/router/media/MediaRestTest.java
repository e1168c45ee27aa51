package im.router.media;

import static im.router.RouterTestSupport.count;
import static im.router.RouterTestSupport.newUser;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.testing.TestTokens;
import im.common.testing.TestTokensResource;
import im.common.token.GrpcAccessTokens;
import im.protocol.client.BlobIds;
import im.protocol.client.ConversationIds;
import im.protocol.router.CreateGroupRequest;
import im.protocol.router.Group;
import im.protocol.router.GroupRequest;
import im.protocol.router.GroupsGrpc;
import im.protocol.user.UserDirectoryGrpc;
import im.router.RouterTestSupport.TestUser;
import im.router.store.Transactions;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Uploads and downloads of attachments over the router's REST API, on the real database and blob store. */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class MediaRestTest {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String BLOB_ID = "[A-Za-z0-9_-]{43}";

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    @GrpcClient("router")
    GroupsGrpc.GroupsBlockingStub groups;

    @Inject
    @DataSource(Transactions.DATASOURCE)
    AgroalDataSource db;

    @Inject
    MediaConfig config;

    @TestHTTPResource("/media")
    URL media;

    @Test
    void uploadedFile_isDownloadedByTheOtherMemberByteForByte_withItsTypeAndSafeHeaders() throws SQLException {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        String chat = ConversationIds.privateChat(alice.id(), bob.id());
        byte[] pdf = bytes(150_000);

        JsonPath uploaded = as(alice).contentType("application/pdf").queryParam("name", "report.pdf").body(pdf)
                .post("/media/" + chat)
                .then().statusCode(201).contentType("application/json")
                .body("blobId", matchesPattern(BLOB_ID))
                .body("conversationId", equalTo(chat))
                .body("name", equalTo("report.pdf"))
                .body("mimeType", equalTo("application/pdf"))
                .body("size", equalTo(pdf.length))
                .body("width", nullValue())
                .body("thumbnail", nullValue())
                .extract().jsonPath();
        String blobId = uploaded.getString("blobId");

        Response download = as(bob).get("/media/" + chat + "/" + blobId);
        download.then().statusCode(200)
                .header("Content-Type", "application/pdf")
                .header("Content-Length", String.valueOf(pdf.length))
                .header("Cache-Control", "private, max-age=" + config.cacheMaxAge().toSeconds())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Disposition", "attachment");
        assertArrayEquals(pdf, download.asByteArray());
        assertEquals(1, count(db, "SELECT COUNT(*) FROM media_blob WHERE conversation_id = ? AND uploader_id = ?",
                chat, alice.id()));
    }

    @Test
    void uploadedPng_answersItsSizeAndAThumbnailThatFitsTheBoxAndDecodes() throws SQLException {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        String chat = ConversationIds.privateChat(alice.id(), bob.id());
        byte[] png = TestImages.picture(1200, 800, "png");

        JsonPath uploaded = as(alice).contentType("image/png").queryParam("name", "cat.png").body(png)
                .post("/media/" + chat)
                .then().statusCode(201)
                .body("width", equalTo(1200))
                .body("height", equalTo(800))
                .body("thumbnail.blobId", matchesPattern(BLOB_ID))
                .body("thumbnail.mimeType", equalTo("image/jpeg"))
                .extract().jsonPath();

        Response original = as(bob).get("/media/" + chat + "/" + uploaded.getString("blobId"));
        original.then().statusCode(200).header("Content-Type", "image/png").header("Content-Disposition", nullValue());
        assertArrayEquals(png, original.asByteArray());
        Response thumbnail = as(bob).get("/media/" + chat + "/" + uploaded.getString("thumbnail.blobId"));
        thumbnail.then().statusCode(200).header("Content-Type", "image/jpeg");
        byte[] thumbnailBytes = thumbnail.asByteArray();
        assertEquals(uploaded.getLong("thumbnail.size"), thumbnailBytes.length);
        BufferedImage decoded = TestImages.decode(thumbnailBytes);
        assertEquals(320, decoded.getWidth());
        assertEquals(213, decoded.getHeight());
        assertEquals(2, count(db, "SELECT COUNT(*) FROM media_blob WHERE conversation_id = ?", chat));
    }

    @Test
    void nonMember_isToldNothingExists_forDownloadAndUpload() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        TestUser carol = newUser(users);
        String chat = ConversationIds.privateChat(alice.id(), bob.id());
        String blobId = as(alice).contentType("text/plain").body("hello".getBytes())
                .post("/media/" + chat).then().statusCode(201).extract().path("blobId");

        String unknownBlob = refusal(as(carol).get("/media/" + chat + "/" + blobId), 404, "UNKNOWN_BLOB");
        // Alice's blob asked for under another conversation of hers, and an id that never was: the same answer.
        String aliceAndCarol = ConversationIds.privateChat(alice.id(), carol.id());
        assertEquals(unknownBlob, refusal(as(alice).get("/media/" + aliceAndCarol + "/" + blobId), 404, "UNKNOWN_BLOB"));
        assertEquals(unknownBlob, refusal(as(alice).get("/media/" + chat + "/" + BlobIds.next()), 404, "UNKNOWN_BLOB"));
        refusal(as(carol).contentType("text/plain").body("sneaky".getBytes()).post("/media/" + chat),
                404, "UNKNOWN_CONVERSATION");
    }

    @Test
    void groupBlob_isForCurrentMembers_andOneWhoLeftMayNoLongerUpload() {
        TestUser owner = newUser(users);
        TestUser member = newUser(users);
        TestUser stranger = newUser(users);
        Group group = groups(owner).createGroup(CreateGroupRequest.newBuilder().setName("photos")
                .addMemberIds(member.id()).build()).getGroup();
        String conversation = group.getConversationId();
        byte[] jpeg = TestImages.picture(640, 480, "jpeg");

        String blobId = as(owner).contentType("image/jpeg").body(jpeg).post("/media/" + conversation)
                .then().statusCode(201).extract().path("blobId");

        assertArrayEquals(jpeg, as(member).get("/media/" + conversation + "/" + blobId)
                .then().statusCode(200).extract().asByteArray());
        refusal(as(stranger).get("/media/" + conversation + "/" + blobId), 404, "UNKNOWN_BLOB");
        refusal(as(stranger).contentType("image/jpeg").body(jpeg).post("/media/" + conversation), 404, "UNKNOWN_CONVERSATION");
        groups(member).leave(GroupRequest.newBuilder().setGroupId(group.getGroupId()).build());
        refusal(as(member).contentType("image/jpeg").body(jpeg).post("/media/" + conversation), 404, "UNKNOWN_CONVERSATION");
    }

    @Test
    void uploadOverTheLimit_isRefusedWith413_andNothingIsRecorded() throws SQLException {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        String chat = ConversationIds.privateChat(alice.id(), bob.id());

        refusal(as(alice).contentType("application/zip").body(new byte[(int) config.maxBytes() + 1]).post("/media/" + chat),
                413, "TOO_LARGE");

        assertEquals(0, count(db, "SELECT COUNT(*) FROM media_blob WHERE conversation_id = ?", chat));
    }

    @Test
    void chunkedUploadOverTheLimit_isCutOffWith413() throws IOException, InterruptedException, SQLException {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        String chat = ConversationIds.privateChat(alice.id(), bob.id());
        // No Content-Length: the body arrives in chunks and is counted as it is read.
        HttpRequest request = HttpRequest.newBuilder(URI.create(media + "/" + chat))
                .header("Authorization", "Bearer " + alice.token())
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(new byte[(int) config.maxBytes() + 100_000])))
                .build();

        HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertEquals(413, answer.statusCode());
        assertTrue(answer.body().contains("TOO_LARGE"), answer.body());
        assertEquals(0, count(db, "SELECT COUNT(*) FROM media_blob WHERE conversation_id = ?", chat));
    }

    @Test
    void typeOutsideTheAllowList_isRefusedWith415() {
        TestUser alice = newUser(users);
        String chat = ConversationIds.privateChat(alice.id(), newUser(users).id());

        refusal(as(alice).contentType("text/html").body("<script>alert(1)</script>".getBytes()).post("/media/" + chat),
                415, "UNSUPPORTED_TYPE");
        refusal(as(alice).contentType("image/svg+xml").body("<svg/>".getBytes()).post("/media/" + chat),
                415, "UNSUPPORTED_TYPE");
    }

    @Test
    void imageWhoseHeaderClaimsTooManyPixels_isRefusedWith400() {
        TestUser alice = newUser(users);
        String chat = ConversationIds.privateChat(alice.id(), newUser(users).id());

        refusal(as(alice).contentType("image/png").body(TestImages.pngHeaderClaiming(50_000, 50_000)).post("/media/" + chat),
                400, "IMAGE_TOO_LARGE");
        refusal(as(alice).contentType("image/jpeg").body(bytes(1000)).post("/media/" + chat), 400, "INVALID_IMAGE");
    }

    @Test
    void callWithoutToken_isRefusedWith401() {
        TestUser alice = newUser(users);
        String chat = ConversationIds.privateChat(alice.id(), newUser(users).id());
        String blobId = as(alice).contentType("text/plain").body("hi".getBytes()).post("/media/" + chat)
                .then().statusCode(201).extract().path("blobId");

        refusal(given().contentType("text/plain").body("hi".getBytes()).post("/media/" + chat), 401, "UNAUTHENTICATED");
        refusal(given().get("/media/" + chat + "/" + blobId), 401, "UNAUTHENTICATED");
    }

    @Test
    void tokenWithoutTheMessagePermissions_isRefusedWith403() {
        TestUser alice = newUser(users);
        String chat = ConversationIds.privateChat(alice.id(), newUser(users).id());
        String blobId = as(alice).contentType("text/plain").body("hi".getBytes()).post("/media/" + chat)
                .then().statusCode(201).extract().path("blobId");
        String grantsNothing = TestTokens.issueGranting(alice.id(), alice.username(), Set.of(), Set.of());

        refusal(given().auth().oauth2(grantsNothing).contentType("text/plain").body("hi".getBytes()).post("/media/" + chat),
                403, "FORBIDDEN");
        refusal(given().auth().oauth2(grantsNothing).get("/media/" + chat + "/" + blobId), 403, "FORBIDDEN");
    }

    @Test
    void webp_isStoredWithoutSizeOrThumbnail() {
        TestUser alice = newUser(users);
        String chat = ConversationIds.privateChat(alice.id(), newUser(users).id());

        JsonPath uploaded = as(alice).contentType("image/webp").body(bytes(2000)).post("/media/" + chat)
                .then().statusCode(201).extract().jsonPath();

        assertNull(uploaded.get("width"));
        assertNull(uploaded.get("thumbnail"));
    }

    /** Checks a refusal's status and problem code; answers its detail. */
    private static String refusal(Response response, int status, String code) {
        return response.then().statusCode(status)
                .contentType(startsWith(PROBLEM_JSON))
                .body("code", equalTo(code))
                .extract().path("detail");
    }

    private static RequestSpecification as(TestUser user) {
        return given().auth().oauth2(user.token());
    }

    private GroupsGrpc.GroupsBlockingStub groups(TestUser user) {
        return groups.withCallCredentials(GrpcAccessTokens.bearer(user.token())).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }
}
