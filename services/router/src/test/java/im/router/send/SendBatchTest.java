package im.router.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import im.common.testing.TestTokensResource;
import im.protocol.client.ConversationIds;
import im.protocol.client.Message;
import im.router.RouterTestSupport;
import im.router.conversation.ConversationRepository;
import im.router.conversation.StoredSeqs;
import im.router.cursor.MemberCursorRepository;
import im.router.group.GroupRepository;
import im.router.group.GroupRosters;
import im.router.media.BlobRepository;
import im.router.message.MentionRepository;
import im.router.message.MessageRepository;
import im.router.routing.DeliveryRouting;
import im.router.store.Transactions;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The rules of one send hold for sends stored together in one transaction: a batch is written
 * here directly, as the group commit's writer writes it.
 */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class SendBatchTest {

    // Ids apart from the other tests' users and messages (the store checks no user here).
    private static final AtomicLong NEXT_USER = new AtomicLong(900_000);
    private static final AtomicLong NEXT_MSG = new AtomicLong(9_000_000_000L);

    @Inject
    Transactions transactions;
    @Inject
    ConversationRepository conversations;
    @Inject
    MessageRepository messages;
    @Inject
    SendSequenceRepository sequences;
    @Inject
    DeliveryRouting routing;
    @Inject
    StoredSeqs storedSeqs;
    @Inject
    StoredClientSeqs storedClientSeqs;
    @Inject
    GroupRepository groups;
    @Inject
    GroupRosters rosters;
    @Inject
    MemberCursorRepository members;
    @Inject
    MentionRepository mentions;
    @Inject
    ChangeRules changeRules;

    @Inject
    BlobRepository blobs;
    @Inject
    @DataSource(Transactions.DATASOURCE)
    AgroalDataSource db;

    @Test
    void sendsOfTwoConversationsInOneBatchTakeGaplessSeqsInBatchOrder() throws Exception {
        long alice = NEXT_USER.incrementAndGet();
        long bob = NEXT_USER.incrementAndGet();
        long carol = NEXT_USER.incrementAndGet();

        List<SendBatch.Outcome> outcomes = write(List.of(
                toStore(alice, "phone", bob, 1), toStore(alice, "phone", carol, 1),
                toStore(bob, "laptop", alice, 1), toStore(alice, "phone", bob, 2),
                toStore(carol, "tab", alice, 0)));

        assertEquals(List.of(1L, 1L, 2L, 3L, 2L), outcomes.stream().map(o -> o.message().getSeq()).toList());
        String aliceBob = ConversationIds.privateChat(alice, bob);
        assertEquals(List.of(1L, 2L, 3L), RouterTestSupport.longs(db,
                "SELECT seq FROM message WHERE conversation_id = ? ORDER BY seq", aliceBob));
        assertEquals(2, RouterTestSupport.count(db,
                "SELECT COUNT(*) FROM conversation_member WHERE conversation_id = ?", aliceBob));
        assertEquals(List.of(3L), RouterTestSupport.longs(db,
                "SELECT last_seq FROM conversation WHERE id = ?", aliceBob));
    }

    @Test
    void aDeviceNumbersAreCheckedInBatchOrderAndAGapStoresNothingNorTakesASeq() throws Exception {
        long alice = NEXT_USER.incrementAndGet();
        long bob = NEXT_USER.incrementAndGet();

        List<SendBatch.Outcome> outcomes = write(List.of(
                toStore(alice, "phone", bob, 1), toStore(alice, "phone", bob, 2),
                toStore(alice, "phone", bob, 4), toStore(alice, "phone", bob, 3),
                toStore(alice, "laptop", bob, 1)));

        assertEquals(1, outcomes.get(0).message().getSeq());
        assertEquals(2, outcomes.get(1).message().getSeq());
        assertNull(outcomes.get(2).message());
        assertEquals(3, outcomes.get(2).expectedClientSeq());
        assertEquals(3, outcomes.get(3).message().getSeq());
        assertEquals(4, outcomes.get(4).message().getSeq());
        assertEquals(List.of(3L), RouterTestSupport.longs(db, "SELECT last_client_seq FROM send_sequence "
                + "WHERE user_id = ? AND device_id = 'phone'", alice));
        assertEquals(4, RouterTestSupport.count(db, "SELECT COUNT(*) FROM message WHERE sender_id = ?", alice));
    }

    @Test
    void aRepeatInTheSameBatchOrOfAnEarlierBatchGetsTheStoredMessageAndIsStoredOnce() throws Exception {
        long alice = NEXT_USER.incrementAndGet();
        long bob = NEXT_USER.incrementAndGet();
        SendBatch.ToStore first = toStore(alice, "phone", bob, 1);
        SendBatch.ToStore second = toStore(alice, "phone", bob, 2);
        write(List.of(first));

        // A resend of 1 (acked before, its ack lost), 2, and 2 again racing in the same batch.
        List<SendBatch.Outcome> outcomes = write(List.of(resend(first), second, resend(second)));

        assertTrue(outcomes.get(0).duplicate());
        assertEquals(1, outcomes.get(0).message().getSeq());
        assertFalse(outcomes.get(1).duplicate());
        assertEquals(2, outcomes.get(1).message().getSeq());
        assertTrue(outcomes.get(2).duplicate());
        assertEquals(outcomes.get(1).message(), outcomes.get(2).message());
        assertEquals(2, RouterTestSupport.count(db, "SELECT COUNT(*) FROM message WHERE sender_id = ?", alice));
    }

    @Test
    void aConversationMovedByAnotherNodeGivesTheNextSendItsNextSeq() throws Exception {
        long alice = NEXT_USER.incrementAndGet();
        long bob = NEXT_USER.incrementAndGet();
        write(List.of(toStore(alice, "phone", bob, 1)));
        String aliceBob = ConversationIds.privateChat(alice, bob);
        // Another router node stored seqs 2 and 3 (bob's sends) since: this node remembers 1.
        RouterTestSupport.update(db, "UPDATE conversation SET last_seq = 3 WHERE id = ?", aliceBob);

        List<SendBatch.Outcome> outcomes = write(List.of(toStore(alice, "phone", bob, 2)));

        assertEquals(4, outcomes.get(0).message().getSeq());
        assertEquals(List.of(4L), RouterTestSupport.longs(db, "SELECT last_seq FROM conversation WHERE id = ?", aliceBob));
    }

    @Test
    void aBatchOverRememberedMovedElsewhereAndNewConversationsGivesEachItsNextSeqsOnce() throws Exception {
        long[] users = new long[7];
        for (int i = 0; i < users.length; i++) {
            users[i] = NEXT_USER.incrementAndGet();
        }
        // Three conversations this node remembers; the second then moves on another node.
        write(List.of(toStore(users[0], "phone", users[1], 1), toStore(users[2], "phone", users[3], 1),
                toStore(users[4], "phone", users[5], 1)));
        String moved = ConversationIds.privateChat(users[2], users[3]);
        RouterTestSupport.update(db, "UPDATE conversation SET last_seq = 5 WHERE id = ?", moved);

        // One batch: two sends of each remembered conversation, one of the moved and a new one.
        List<SendBatch.Outcome> outcomes = write(List.of(
                toStore(users[0], "phone", users[1], 2), toStore(users[2], "phone", users[3], 2),
                toStore(users[4], "phone", users[5], 2), toStore(users[6], "phone", users[0], 1),
                toStore(users[0], "phone", users[1], 3), toStore(users[4], "phone", users[5], 3)));

        assertEquals(List.of(2L, 6L, 2L, 1L, 3L, 3L), outcomes.stream().map(o -> o.message().getSeq()).toList());
        for (long[] pair : new long[][] {{users[0], users[1], 3}, {users[2], users[3], 6}, {users[4], users[5], 3},
                {users[6], users[0], 1}}) {
            assertEquals(List.of(pair[2]), RouterTestSupport.longs(db, "SELECT last_seq FROM conversation WHERE id = ?",
                    ConversationIds.privateChat(pair[0], pair[1])));
        }
        assertEquals(3, RouterTestSupport.count(db, "SELECT COUNT(*) FROM message WHERE sender_id = ?", users[0]));
    }

    @Test
    void aDeviceNumberMovedByAnotherNodeIsCheckedAgainstTheStoredOne() throws Exception {
        long alice = NEXT_USER.incrementAndGet();
        long bob = NEXT_USER.incrementAndGet();
        write(List.of(toStore(alice, "phone", bob, 1)));
        // The device's sends 2 and 3 went through another node: this node remembers 1.
        RouterTestSupport.update(db, "UPDATE send_sequence SET last_client_seq = 3 WHERE user_id = ?", alice);

        List<SendBatch.Outcome> twoAgain = write(List.of(toStore(alice, "phone", bob, 2)));
        List<SendBatch.Outcome> four = write(List.of(toStore(alice, "phone", bob, 4)));

        assertNull(twoAgain.get(0).message());
        assertEquals(4, twoAgain.get(0).expectedClientSeq());
        assertEquals(2, four.get(0).message().getSeq());
        assertEquals(List.of(4L), RouterTestSupport.longs(db,
                "SELECT last_client_seq FROM send_sequence WHERE user_id = ?", alice));
    }

    @Test
    void aResendOfAnUnnumberedStoredSendIsAnsweredWithTheStoredMessageAndTakesNoSeq() throws Exception {
        long alice = NEXT_USER.incrementAndGet();
        long bob = NEXT_USER.incrementAndGet();
        SendBatch.ToStore first = toStore(alice, "web", bob, 0);
        write(List.of(first));

        List<SendBatch.Outcome> outcomes = write(List.of(resend(first), toStore(alice, "web", bob, 0)));

        assertTrue(outcomes.get(0).duplicate());
        assertEquals(1, outcomes.get(0).message().getSeq());
        assertEquals(2, outcomes.get(1).message().getSeq());
        assertEquals(List.of(2L), RouterTestSupport.longs(db, "SELECT last_seq FROM conversation WHERE id = ?",
                ConversationIds.privateChat(alice, bob)));
    }

    /** Writes and commits the batch, then tells it, as the group commit's writer does. */
    private List<SendBatch.Outcome> write(List<SendBatch.ToStore> items) throws Exception {
        SendBatch batch = new SendBatch(conversations, storedSeqs, messages, sequences, storedClientSeqs, routing,
                groups, rosters, members, mentions, changeRules, blobs);
        List<SendBatch.Outcome> outcomes = transactions.write(connection -> batch.write(connection, items));
        batch.committed(items, outcomes);
        batch.publish(items, outcomes);
        return outcomes;
    }

    private static SendBatch.ToStore toStore(long from, String device, long to, long clientSeq) {
        Message message = Message.newBuilder()
                .setMsgId(NEXT_MSG.incrementAndGet())
                .setConversationId(ConversationIds.privateChat(from, to))
                .setSenderId(from)
                .setSenderDeviceId(device)
                .setClientMsgId(UUID.randomUUID().toString())
                .setBody(ByteString.copyFromUtf8("hello"))
                .build();
        return new SendBatch.ToStore(message, to, clientSeq);
    }

    /** The same send again, as a resend carries it: a new msg id is drawn, the key is the same. */
    private static SendBatch.ToStore resend(SendBatch.ToStore send) {
        return new SendBatch.ToStore(send.message().toBuilder().setMsgId(NEXT_MSG.incrementAndGet()).build(),
                send.receiverId(), send.clientSeq());
    }
}
