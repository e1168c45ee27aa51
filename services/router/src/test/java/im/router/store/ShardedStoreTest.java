package im.router.store;

import static im.router.RouterTestSupport.as;
import static im.router.RouterTestSupport.befriend;
import static im.router.RouterTestSupport.count;
import static im.router.RouterTestSupport.longs;
import static im.router.RouterTestSupport.newClientMsgId;
import static im.router.RouterTestSupport.newUser;
import static im.router.RouterTestSupport.send;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.grpc.GrpcErrors;
import im.common.testing.TestTokensResource;
import im.protocol.client.ConversationCursor;
import im.protocol.client.ConversationIds;
import im.protocol.client.ErrorCode;
import im.protocol.client.Message;
import im.protocol.client.Receipts;
import im.protocol.router.AckDeliveryRequest;
import im.protocol.router.GetReceiptsRequest;
import im.protocol.router.ListConversationsRequest;
import im.protocol.router.MarkReadRequest;
import im.protocol.router.RouterGrpc;
import im.protocol.router.SendResponse;
import im.protocol.router.SyncRequest;
import im.protocol.user.UserDirectoryGrpc;
import im.router.RouterTestSupport.TestUser;
import im.router.TwoShards;
import io.agroal.api.AgroalDataSource;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The router's store over two MariaDB databases: placement, seqs, dedupe, reads and a bucket move. */
@QuarkusTest
@TestProfile(TwoShards.class)
@QuarkusTestResource(TestTokensResource.class)
class ShardedStoreTest {

    @GrpcClient("router")
    RouterGrpc.RouterBlockingStub router;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    @Inject
    Shards shards;

    /** Two friends whose private chat the map places on {@code shard}. */
    private record Pair(TestUser a, TestUser b, String conversationId) {
    }

    @Test
    void conversationsLandOnTheShardTheMapNames() throws Exception {
        Pair onZero = pairOn(0);
        Pair onOne = pairOn(1);

        as(router, onZero.a().token()).send(send("phone", onZero.b().id(), newClientMsgId(), "zero"));
        as(router, onOne.a().token()).send(send("phone", onOne.b().id(), newClientMsgId(), "one"));

        assertEquals(1, messages(0, onZero.conversationId()));
        assertEquals(0, messages(1, onZero.conversationId()));
        assertEquals(0, messages(0, onOne.conversationId()));
        assertEquals(1, messages(1, onOne.conversationId()));
        assertEquals(1, count(db(1), "SELECT COUNT(*) FROM conversation WHERE id = ?", onOne.conversationId()));
        assertEquals(2, count(db(1), "SELECT COUNT(*) FROM conversation_member WHERE conversation_id = ?",
                onOne.conversationId()));
    }

    @Test
    void seqStaysGaplessPerConversation_underConcurrentSendsAcrossShards() throws Exception {
        List<Pair> pairs = List.of(pairOn(0), pairOn(0), pairOn(1), pairOn(1));
        int perDevice = 25;
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Pair pair : pairs) {
                for (String device : List.of("phone", "laptop")) {
                    done.add(senders.submit(() -> {
                        for (int i = 0; i < perDevice; i++) {
                            as(router, pair.a().token()).send(send(device, pair.b().id(), newClientMsgId(), device + i));
                        }
                    }));
                }
            }
            for (Future<?> each : done) {
                each.get();
            }
        } finally {
            senders.shutdown();
        }

        for (Pair pair : pairs) {
            int shard = shards.map().shardOf(pair.conversationId());
            assertEquals(LongStream.rangeClosed(1, 2L * perDevice).boxed().toList(),
                    longs(db(shard), "SELECT seq FROM message WHERE conversation_id = ? ORDER BY seq",
                            pair.conversationId()));
            assertEquals(0, messages(1 - shard, pair.conversationId()));
        }
        assertTrue(shards.all().get(0).groupCommit().transactionsCommitted() > 0);
        assertTrue(shards.all().get(1).groupCommit().transactionsCommitted() > 0);
    }

    @Test
    void resendOnShardOne_isAnsweredWithTheOriginalAck_andStoredOnce() throws Exception {
        Pair pair = pairOn(1);
        String clientMsgId = newClientMsgId();

        SendResponse first = as(router, pair.a().token()).send(send("phone", pair.b().id(), clientMsgId, "hi"));
        SendResponse again = as(router, pair.a().token()).send(send("phone", pair.b().id(), clientMsgId, "hi"));

        assertFalse(first.getDuplicate());
        assertTrue(again.getDuplicate());
        assertEquals(first.getAck(), again.getAck());
        assertEquals(1, messages(1, pair.conversationId()));
        assertEquals(0, messages(0, pair.conversationId()));
    }

    @Test
    void syncAndReceipts_readFromTheConversationsShard() throws Exception {
        Pair pair = pairOn(1);
        for (int i = 1; i <= 3; i++) {
            as(router, pair.a().token()).send(send("phone", pair.b().id(), newClientMsgId(), "m" + i));
        }

        List<Message> page = as(router, pair.b().token()).sync(SyncRequest.newBuilder()
                .setConversationId(pair.conversationId()).build()).getMessagesList();
        as(router, pair.b().token()).ackDelivery(AckDeliveryRequest.newBuilder().setDeviceId("tablet")
                .setConversationId(pair.conversationId()).setSeq(3).build());
        as(router, pair.b().token()).markRead(MarkReadRequest.newBuilder().setDeviceId("tablet")
                .setConversationId(pair.conversationId()).setUpToSeq(2).build());
        Receipts receipts = as(router, pair.a().token()).getReceipts(GetReceiptsRequest.newBuilder()
                .setConversationId(pair.conversationId()).build()).getReceipts();

        assertEquals(List.of("m1", "m2", "m3"), page.stream().map(m -> m.getBody().toStringUtf8()).toList());
        assertEquals(3, receipts.getDelivered(0).getUpToSeq());
        assertEquals(2, receipts.getRead(0).getUpToSeq());
        assertEquals(1, count(db(1), "SELECT COUNT(*) FROM delivery_cursor WHERE conversation_id = ?",
                pair.conversationId()));
        assertEquals(0, count(db(0), "SELECT COUNT(*) FROM delivery_cursor WHERE conversation_id = ?",
                pair.conversationId()));
    }

    @Test
    void listConversations_mergesConversationsOfBothShards() {
        TestUser alice = newUser(users);
        TestUser onZero = friendOn(alice, 0);
        TestUser onOne = friendOn(alice, 1);
        String zero = ConversationIds.privateChat(alice.id(), onZero.id());
        String one = ConversationIds.privateChat(alice.id(), onOne.id());
        as(router, alice.token()).send(send("phone", onZero.id(), newClientMsgId(), "to zero"));
        as(router, alice.token()).send(send("phone", onOne.id(), newClientMsgId(), "to one"));
        as(router, alice.token()).send(send("phone", onOne.id(), newClientMsgId(), "to one again"));

        List<ConversationCursor> behind = as(router, alice.token())
                .listConversations(ListConversationsRequest.getDefaultInstance()).getBehindList();
        List<ConversationCursor> behindPastZero = as(router, alice.token())
                .listConversations(ListConversationsRequest.newBuilder().addCursors(ConversationCursor.newBuilder()
                        .setConversationId(zero).setLastSeq(1)).build()).getBehindList();

        List<ConversationCursor> expected = new ArrayList<>(List.of(behind(zero, 1, 1), behind(one, 2, 2)));
        expected.sort((x, y) -> x.getConversationId().compareTo(y.getConversationId()));
        assertEquals(expected, behind);
        assertEquals(List.of(behind(one, 2, 2)), behindPastZero);
    }

    @Test
    void movingABucket_keepsEveryMessageOnceAndInOrder() throws Exception {
        Pair pair = pairOn(0);
        ShardMap before = shards.map();
        int bucket = before.bucketOf(pair.conversationId());
        List<String> clientMsgIds = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            clientMsgIds.add(newClientMsgId());
            as(router, pair.a().token()).send(send("phone", pair.b().id(), clientMsgIds.get(i - 1), "m" + i));
        }
        as(router, pair.b().token()).ackDelivery(AckDeliveryRequest.newBuilder().setDeviceId("tablet")
                .setConversationId(pair.conversationId()).setSeq(5).build());
        String blobId = given().auth().oauth2(pair.a().token()).contentType("text/plain").body("notes".getBytes())
                .post("/media/" + pair.conversationId()).then().statusCode(201).extract().path("blobId");
        try {
            // 1. The bucket's writes are refused while its rows are copied.
            shards.replace(before.withMoving(bucket));
            assertCode(ErrorCode.UNAVAILABLE, () -> as(router, pair.a().token())
                    .send(send("phone", pair.b().id(), newClientMsgId(), "while moving")));
            assertCode(ErrorCode.UNAVAILABLE, () -> as(router, pair.b().token()).ackDelivery(AckDeliveryRequest
                    .newBuilder().setDeviceId("tablet").setConversationId(pair.conversationId()).setSeq(5).build()));
            given().auth().oauth2(pair.a().token()).contentType("text/plain").body("later".getBytes())
                    .post("/media/" + pair.conversationId()).then().statusCode(503).header("Retry-After", "1");

            // 2. Copy and check; 3. the map names shard 1; 4. the old rows go.
            BucketMover mover = new BucketMover(db(0), db(1), before.buckets());
            BucketMover.Copied copied = mover.copy(bucket);
            shards.replace(before.withMoving(bucket).withBucketOn(bucket, 1));
            SendResponse resent = as(router, pair.a().token())
                    .send(send("phone", pair.b().id(), clientMsgIds.get(2), "m3"));
            for (int i = 6; i <= 10; i++) {
                as(router, pair.a().token()).send(send("phone", pair.b().id(), newClientMsgId(), "m" + i));
            }
            mover.deleteFromSource(bucket);

            assertTrue(copied.rows().get("message") >= 5, copied.toString());
            assertTrue(resent.getDuplicate());
            assertEquals(3, resent.getAck().getSeq());
            assertEquals(0, messages(0, pair.conversationId()));
            assertEquals(0, count(db(0), "SELECT COUNT(*) FROM conversation WHERE id = ?", pair.conversationId()));
            assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(),
                    longs(db(1), "SELECT seq FROM message WHERE conversation_id = ? ORDER BY seq",
                            pair.conversationId()));
            assertEquals(5, count(db(1), "SELECT last_ack_seq FROM delivery_cursor WHERE conversation_id = ?",
                    pair.conversationId()));
            assertEquals(0, count(db(0), "SELECT COUNT(*) FROM media_blob WHERE conversation_id = ?", pair.conversationId()));
            assertEquals(1, count(db(1), "SELECT COUNT(*) FROM media_blob WHERE conversation_id = ?", pair.conversationId()));
            assertEquals("notes", given().auth().oauth2(pair.b().token())
                    .get("/media/" + pair.conversationId() + "/" + blobId).then().statusCode(200).extract().asString());
            List<Message> synced = as(router, pair.b().token()).sync(SyncRequest.newBuilder()
                    .setConversationId(pair.conversationId()).build()).getMessagesList();
            assertEquals(LongStream.rangeClosed(1, 10).mapToObj(i -> "m" + i).toList(),
                    synced.stream().map(m -> m.getBody().toStringUtf8()).toList());
        } finally {
            shards.replace(before);
        }
    }

    @Test
    void aMapThatNamesAShardWithoutADatabase_isRefused() {
        ShardMap threeShards = ShardMap.parse(4096, "0-1023:0,1024-2047:1,2048-4095:2", "");

        assertThrows(IllegalStateException.class, () -> shards.replace(threeShards));
    }

    private Pair pairOn(int shard) {
        TestUser a = newUser(users);
        TestUser b = friendOn(a, shard);
        return new Pair(a, b, ConversationIds.privateChat(a.id(), b.id()));
    }

    /** A new friend of {@code user} whose chat with them is on {@code shard}. */
    private TestUser friendOn(TestUser user, int shard) {
        while (true) {
            TestUser other = newUser(users);
            if (shards.map().shardOf(ConversationIds.privateChat(user.id(), other.id())) == shard) {
                befriend(user, other);
                return other;
            }
        }
    }

    private AgroalDataSource db(int shard) {
        return shards.all().get(shard).transactions().dataSource();
    }

    private long messages(int shard, String conversationId) throws Exception {
        return count(db(shard), "SELECT COUNT(*) FROM message WHERE conversation_id = ?", conversationId);
    }

    private static ConversationCursor behind(String conversationId, long lastSeq, long newMessages) {
        return ConversationCursor.newBuilder().setConversationId(conversationId).setLastSeq(lastSeq)
                .setNewMessages(newMessages).build();
    }

    private static void assertCode(ErrorCode expected, Runnable call) {
        StatusRuntimeException failure = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(expected, GrpcErrors.codeOf(failure), failure.toString());
    }
}
