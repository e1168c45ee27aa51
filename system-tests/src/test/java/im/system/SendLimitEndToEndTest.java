package im.system;

import static im.system.Conversations.history;
import static im.system.Conversations.msgIds;
import static im.system.Conversations.oneTo;
import static im.system.Conversations.seqs;
import static im.system.Conversations.text;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import im.checker.StandaloneProcess;
import im.protocol.client.ConversationIds;
import im.protocol.client.Message;
import im.protocol.client.SendAck;
import im.system.Accounts.Account;
import im.system.Devices.Device;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A user's send limit against the real SDK: a burst far beyond it is held back by the server
 * (RATE_LIMITED with the wait), sent again by the SDK when the wait is over, and in the end every
 * message is stored once, in the order it was made, and shown once to the peer.
 */
class SendLimitEndToEndTest {

    private static final int LIMIT_PER_SECOND = 5;
    private static final int BURST = 4 * LIMIT_PER_SECOND;

    @Test
    void aBurstBeyondTheUsersSendLimitIsDeliveredInFullAndInOrderAtTheAllowedRate() throws Exception {
        try (StandaloneProcess server = new StandaloneProcess("send-limit")
                .environment("IM_PUSH_USER_LIMITS_SENDS_PER_WINDOW", Integer.toString(LIMIT_PER_SECOND))
                .start()) {
            Account ivy = Accounts.signUp(server.rest(), "ivy");
            Account jon = Accounts.signUp(server.rest(), "jon");
            Accounts.befriend(server.rest(), ivy, jon);
            String conversation = ConversationIds.privateChat(ivy.userId(), jon.userId());

            try (Device ivyPhone = Devices.connect(server.tcp(), ivy.accessToken(), "phone");
                    Device jonLaptop = Devices.connect(server.webSocket(), jon.accessToken(), "laptop")) {
                List<CompletableFuture<SendAck>> burst = new ArrayList<>();
                for (int i = 1; i <= BURST; i++) {
                    burst.add(ivyPhone.client.send(jon.userId(), ("burst " + i).getBytes(StandardCharsets.UTF_8)));
                }
                List<Long> ackedSeqs = new ArrayList<>();
                for (CompletableFuture<SendAck> ack : burst) {
                    ackedSeqs.add(ack.get(120, TimeUnit.SECONDS).getSeq());
                }
                assertEquals(oneTo(BURST), ackedSeqs, "every send stored, in the order it was made");

                await("jon is shown each once").atMost(Duration.ofSeconds(60))
                        .until(() -> jonLaptop.shown.size() >= BURST);
                List<Message> shown = jonLaptop.shownInConversationOrder();
                assertEquals(oneTo(BURST), seqs(shown), "shown once each, none missing");
                assertEquals("burst " + BURST, text(shown.get(BURST - 1)));
                assertEquals(msgIds(history(ivyPhone.client, conversation)), msgIds(shown));
            }
        }
    }
}
