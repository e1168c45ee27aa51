package im.system;

import static im.system.Conversations.history;
import static im.system.Conversations.msgIds;
import static im.system.Conversations.oneTo;
import static im.system.Conversations.seqs;
import static im.system.Conversations.text;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.checker.StandaloneProcess;
import im.client.sdk.GroupView;
import im.client.sdk.ImApiException;
import im.client.sdk.ImClient;
import im.client.sdk.ImErrorException;
import im.protocol.client.ErrorCode;
import im.protocol.client.GroupEvent;
import im.protocol.client.JoinPolicy;
import im.protocol.client.Message;
import im.protocol.client.ReadCount;
import im.protocol.client.ReadReceipt;
import im.protocol.client.Receipts;
import im.protocol.client.SendAck;
import im.system.Accounts.Account;
import im.system.Devices.Device;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Group chat through the real standalone process, members on TCP and on WebSocket. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupChatEndToEndTest {

    private StandaloneProcess server;

    @BeforeAll
    void startServer() throws Exception {
        server = new StandaloneProcess("groups").start();
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void threeMembersTalkAtOnce_everyDeviceShowsEveryMessageOnceInOneOrder_andReadsAreReported() throws Exception {
        Account alice = Accounts.signUp(server.rest(), "alice");
        Account bob = Accounts.signUp(server.rest(), "bob");
        Account carol = Accounts.signUp(server.rest(), "carol");
        GroupView group = server.rest().createGroup(alice.accessToken(), "weekend",
                List.of(bob.userId(), carol.userId()), JoinPolicy.ADMINS_INVITE);
        String conversation = group.conversationId();
        int perMember = 10;

        try (Device aliceLaptop = Devices.connect(server.tcp(), alice.accessToken(), "laptop");
                Device bobPhone = Devices.connect(server.webSocket(), bob.accessToken(), "phone");
                Device carolPhone = Devices.connect(server.tcp(), carol.accessToken(), "phone");
                Device carolTablet = Devices.connect(server.webSocket(), carol.accessToken(), "tablet")) {
            ExecutorService senders = Executors.newFixedThreadPool(3);
            List<Future<List<SendAck>>> sending = new ArrayList<>();
            for (Device device : List.of(aliceLaptop, bobPhone, carolPhone)) {
                sending.add(senders.submit(() -> sendInOrder(device.client, group.groupId(), perMember)));
            }
            List<SendAck> acks = new ArrayList<>();
            for (Future<List<SendAck>> sent : sending) {
                List<SendAck> mine = sent.get(120, TimeUnit.SECONDS);
                for (int i = 1; i < mine.size(); i++) {
                    assertTrue(mine.get(i - 1).getSeq() < mine.get(i).getSeq(), "a sender's messages keep their order");
                }
                acks.addAll(mine);
            }
            senders.shutdown();
            int total = 1 + 3 * perMember;
            assertEquals(oneTo(total).subList(1, total), acks.stream().map(SendAck::getSeq).sorted().toList(),
                    "the group's seqs follow its creation without a gap, one per message");

            // Each device shows what the others sent; Carol's tablet also shows what her phone sent.
            await("every device is shown the group").atMost(Duration.ofSeconds(30)).until(() ->
                    userMessages(aliceLaptop).size() >= 2 * perMember && userMessages(bobPhone).size() >= 2 * perMember
                            && userMessages(carolPhone).size() >= 2 * perMember
                            && userMessages(carolTablet).size() >= 3 * perMember);
            for (Device device : List.of(aliceLaptop, bobPhone, carolPhone, carolTablet)) {
                List<Long> shown = msgIds(userMessages(device));
                assertEquals(shown.size(), shown.stream().distinct().count(), "shown once each");
            }
            List<Message> reference = history(aliceLaptop.client, conversation);
            assertEquals(oneTo(total), seqs(reference));
            assertEquals(GroupEvent.Kind.CREATED, reference.get(0).getGroupEvent().getKind());
            for (Device device : List.of(bobPhone, carolPhone, carolTablet)) {
                assertEquals(msgIds(reference), msgIds(history(device.client, conversation)), "one order everywhere");
            }

            bobPhone.client.markRead(conversation, total);
            await("alice hears how far bob read").atMost(Duration.ofSeconds(30)).until(() -> {
                Receipts receipts = aliceLaptop.client.receipts(conversation).get(10, TimeUnit.SECONDS);
                return receipts.getReadList().stream().anyMatch(read -> read.getReaderId() == bob.userId()
                        && read.getUpToSeq() == total);
            });
            long alicesLast = acks.subList(0, perMember).stream().mapToLong(SendAck::getSeq).max().orElseThrow();
            // Carol read nothing herself, but a member who sends has read what came before its message.
            long carolsLast = acks.subList(2 * perMember, 3 * perMember).stream().mapToLong(SendAck::getSeq).max()
                    .orElseThrow();
            Receipts receipts = aliceLaptop.client.readers(conversation, alicesLast).get(10, TimeUnit.SECONDS);
            List<ReadCount> counted = carolsLast == total
                    ? List.of(ReadCount.newBuilder().setUpToSeq(total).setMembers(2).build())
                    : List.of(ReadCount.newBuilder().setUpToSeq(carolsLast).setMembers(1).build(),
                            ReadCount.newBuilder().setUpToSeq(total).setMembers(1).build());
            assertEquals(counted, receipts.getReadCountsList(), "bob read everything, carol up to her own last message");
            assertEquals(carolsLast >= alicesLast ? List.of(bob.userId(), carol.userId()) : List.of(bob.userId()),
                    receipts.getReadersList(), "who has read alice's last message");
            assertEquals(List.of(bob.userId(), carol.userId()),
                    receipts.getReadList().stream().map(ReadReceipt::getReaderId).sorted().toList());
        }
    }

    @Test
    void joinerSeesFromItsJoining_leaverNothingAfterItsRemoval() throws Exception {
        Account alice = Accounts.signUp(server.rest(), "alice");
        Account bob = Accounts.signUp(server.rest(), "bob");
        Account dave = Accounts.signUp(server.rest(), "dave");
        GroupView group = server.rest().createGroup(alice.accessToken(), "club", List.of(bob.userId()),
                JoinPolicy.ADMINS_INVITE);
        String conversation = group.conversationId();

        try (Device alicePhone = Devices.connect(server.tcp(), alice.accessToken(), "phone");
                Device bobPhone = Devices.connect(server.webSocket(), bob.accessToken(), "phone")) {
            send(alicePhone.client, group.groupId(), "before dave");
            long joinedAt = server.rest().addGroupMembers(alice.accessToken(), group.groupId(),
                    List.of(dave.userId())).seq();

            try (Device davePhone = Devices.connect(server.tcp(), dave.accessToken(), "phone")) {
                SendAck welcome = send(alicePhone.client, group.groupId(), "welcome dave");
                await("dave is shown the welcome").atMost(Duration.ofSeconds(30))
                        .until(() -> msgIds(userMessages(davePhone)).contains(welcome.getMsgId()));
                List<Message> daves = history(davePhone.client, conversation);
                assertEquals(joinedAt, daves.get(0).getSeq(), "dave reads from his joining");
                assertEquals(GroupEvent.Kind.JOINED, daves.get(0).getGroupEvent().getKind());
                assertFalse(daves.stream().anyMatch(message -> text(message).equals("before dave")));

                long removedAt = server.rest().removeGroupMember(alice.accessToken(), group.groupId(),
                        bob.userId()).seq();
                ImErrorException refused = refusal(() -> send(bobPhone.client, group.groupId(), "still here?"));
                assertEquals(ErrorCode.PERMISSION_DENIED, refused.getCode());
                assertEquals("not a member of this group", refused.getMessage());
                SendAck after = send(davePhone.client, group.groupId(), "after bob");
                await("alice is shown dave's message").atMost(Duration.ofSeconds(30))
                        .until(() -> msgIds(userMessages(alicePhone)).contains(after.getMsgId()));
                await("bob is shown his removal").atMost(Duration.ofSeconds(30)).until(() -> bobPhone.shown.stream()
                        .anyMatch(message -> message.getSeq() == removedAt));
                assertFalse(bobPhone.shown.stream().anyMatch(message -> message.getSeq() > removedAt),
                        "bob is shown nothing after his removal");
                List<Message> bobs = history(bobPhone.client, conversation);
                assertEquals(removedAt, bobs.get(bobs.size() - 1).getSeq(), "bob reads up to his removal");

                long leftAt = server.rest().leaveGroup(dave.accessToken(), group.groupId()).seq();
                try (Device aliceTablet = Devices.connect(server.webSocket(), alice.accessToken(), "tablet")) {
                    SendAck afterDave = send(alicePhone.client, group.groupId(), "bye dave");
                    // Alice's tablet is told in the same fan-out as dave would be: once it has the
                    // message, dave would have it too if it were his.
                    await("alice's tablet is shown the message after dave left").atMost(Duration.ofSeconds(30))
                            .until(() -> msgIds(userMessages(aliceTablet)).contains(afterDave.getMsgId()));
                    await("dave is shown his leaving").atMost(Duration.ofSeconds(30)).until(() -> davePhone.shown
                            .stream().anyMatch(message -> message.getSeq() == leftAt));
                    List<Message> davesAfter = history(davePhone.client, conversation);
                    assertEquals(leftAt, davesAfter.get(davesAfter.size() - 1).getSeq(),
                            "dave reads up to his leaving");
                    assertTrue(afterDave.getSeq() > leftAt);
                    assertFalse(msgIds(new ArrayList<>(davePhone.shown)).contains(afterDave.getMsgId()),
                            "dave is shown nothing after he left");
                }
            }
        }
    }

    @Test
    void mutedMemberAndNonMemberAreRefusedWithClearErrors() throws Exception {
        Account alice = Accounts.signUp(server.rest(), "alice");
        Account bob = Accounts.signUp(server.rest(), "bob");
        Account mallory = Accounts.signUp(server.rest(), "mallory");
        GroupView group = server.rest().createGroup(alice.accessToken(), "quiet", List.of(bob.userId()),
                JoinPolicy.ADMINS_INVITE);
        server.rest().setGroupMemberMuted(alice.accessToken(), group.groupId(), bob.userId(), true);

        try (Device bobPhone = Devices.connect(server.tcp(), bob.accessToken(), "phone");
                Device malloryPhone = Devices.connect(server.webSocket(), mallory.accessToken(), "phone")) {
            ImErrorException muted = refusal(() -> send(bobPhone.client, group.groupId(), "hello?"));
            assertEquals(ErrorCode.PERMISSION_DENIED, muted.getCode());
            assertEquals("you are muted in this group", muted.getMessage());
            ImErrorException outsider = refusal(() -> send(malloryPhone.client, group.groupId(), "let me in"));
            assertEquals(ErrorCode.PERMISSION_DENIED, outsider.getCode());
            assertEquals("not a member of this group", outsider.getMessage());
            ImApiException notHers = assertThrows(ImApiException.class,
                    () -> server.rest().group(mallory.accessToken(), group.groupId()));
            assertTrue(notHers.getMessage().contains("404"), notHers.getMessage());

            server.rest().setGroupMemberMuted(alice.accessToken(), group.groupId(), bob.userId(), false);
            assertTrue(send(bobPhone.client, group.groupId(), "thanks").getSeq() > 0);
        }
    }

    private static List<SendAck> sendInOrder(ImClient client, long groupId, int count) throws Exception {
        List<SendAck> acks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            acks.add(client.sendToGroup(groupId, ("m-" + i).getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS));
        }
        return acks;
    }

    private static SendAck send(ImClient client, long groupId, String text) throws Exception {
        return client.sendToGroup(groupId, text.getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
    }

    /** Messages people wrote (not the group's system messages), as the device showed them. */
    private static List<Message> userMessages(Device device) {
        return device.shownInConversationOrder().stream().filter(message -> !message.hasGroupEvent()).toList();
    }

    private interface Call {
        void run() throws Exception;
    }

    private static ImErrorException refusal(Call call) {
        ExecutionException failed = assertThrows(ExecutionException.class, call::run);
        return assertInstanceOf(ImErrorException.class, failed.getCause());
    }
}
