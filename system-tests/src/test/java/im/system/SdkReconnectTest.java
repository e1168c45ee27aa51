package im.system;

import static im.system.Conversations.history;
import static im.system.Conversations.msgIds;
import static im.system.Conversations.oneTo;
import static im.system.Conversations.seqs;
import static im.system.Conversations.text;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import im.checker.StandaloneProcess;
import im.client.sdk.ConnectionState;
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
 * The SDK against a real server that dies: sends made while it is down wait in the outbox, the
 * client reconnects on its own when the server is back, and every send is stored once, in the
 * order it was made, and shown once to the peer.
 */
class SdkReconnectTest {

    @Test
    void sendsMadeWhileTheServerIsDownAreStoredOnceInOrderAfterItComesBack() throws Exception {
        try (StandaloneProcess server = new StandaloneProcess("reconnect").start()) {
            Account gina = Accounts.signUp(server.rest(), "gina");
            Account hank = Accounts.signUp(server.rest(), "hank");
            Accounts.befriend(server.rest(), gina, hank);
            String conversation = ConversationIds.privateChat(gina.userId(), hank.userId());

            try (Device ginaPhone = Devices.connect(server.tcp(), gina.accessToken(), "phone");
                    Device hankLaptop = Devices.connect(server.webSocket(), hank.accessToken(), "laptop")) {
                SendAck first = ginaPhone.client.send(hank.userId(), bytes("before the crash")).get(30, TimeUnit.SECONDS);

                server.kill();
                await("the SDK notices").atMost(Duration.ofSeconds(30))
                        .until(() -> ginaPhone.client.state() != ConnectionState.CONNECTED);
                List<CompletableFuture<SendAck>> whileDown = new ArrayList<>();
                for (int i = 1; i <= 5; i++) {
                    whileDown.add(ginaPhone.client.send(hank.userId(), bytes("while down " + i)));
                }

                server.start();
                List<SendAck> acks = new ArrayList<>();
                for (CompletableFuture<SendAck> ack : whileDown) {
                    acks.add(ack.get(120, TimeUnit.SECONDS));
                }
                assertEquals(List.of(2L, 3L, 4L, 5L, 6L), acks.stream().map(SendAck::getSeq).toList(),
                        "stored after the first, in the order they were made");

                await("hank is shown each once").atMost(Duration.ofSeconds(60))
                        .until(() -> hankLaptop.shown.size() >= 6);
                List<Message> shown = hankLaptop.shownInConversationOrder();
                assertEquals(oneTo(6), seqs(shown), "shown once each, none missing");
                assertEquals(first.getMsgId(), shown.get(0).getMsgId());
                assertEquals("while down 5", text(shown.get(5)));

                List<Message> stored = history(ginaPhone.client, conversation);
                assertEquals(oneTo(6), seqs(stored), "stored once each");
                assertEquals(msgIds(stored), msgIds(shown), "the peer shows what is stored, in store order");
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
