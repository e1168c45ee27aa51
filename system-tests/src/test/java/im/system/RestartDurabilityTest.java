package im.system;

import static im.system.Conversations.history;
import static im.system.Conversations.msgIds;
import static im.system.Conversations.oneTo;
import static im.system.Conversations.sendInOrder;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import im.checker.StandaloneProcess;
import im.system.Accounts.Account;
import im.system.Devices.Device;
import im.protocol.client.ConversationIds;
import im.protocol.client.SendAck;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What was acked is kept: across a graceful restart and across a kill -9 of the process. */
class RestartDurabilityTest {

    @Test
    void acknowledgedMessagesAndAccountsSurviveRestartAndKill() throws Exception {
        try (StandaloneProcess server = new StandaloneProcess("restart").start()) {
            Account erin = Accounts.signUp(server.rest(), "erin");
            Account frank = Accounts.signUp(server.rest(), "frank");
            Accounts.befriend(server.rest(), erin, frank);
            String conversation = ConversationIds.privateChat(erin.userId(), frank.userId());

            List<SendAck> acked = new ArrayList<>();
            try (Device erinLaptop = Devices.connect(server.tcp(), erin.accessToken(), "laptop")) {
                acked.addAll(sendInOrder(erinLaptop.client, frank.userId(), "before-restart", 10));
            }

            server.restart();

            // Accounts survive: both log in again with their passwords; history survives: a new
            // device of frank's, holding nothing, is brought up to date right after Hello.
            Account erinAgain = Accounts.logIn(server.rest(), erin.username());
            Account frankAgain = Accounts.logIn(server.rest(), frank.username());
            try (Device frankTablet = Devices.connect(server.webSocket(), frankAgain.accessToken(), "tablet")) {
                await("history arrives after Hello").atMost(Duration.ofSeconds(30))
                        .until(() -> frankTablet.shown.size() >= 10);
                assertEquals(ackedIds(acked), msgIds(frankTablet.shownInConversationOrder()));
            }

            try (Device erinLaptop = Devices.connect(server.tcp(), erinAgain.accessToken(), "laptop")) {
                acked.addAll(sendInOrder(erinLaptop.client, frank.userId(), "before-kill", 5));
                // Killed right after the last ack: no shutdown hook, no flush.
                server.kill();
            }

            server.start();
            Account erinThird = Accounts.logIn(server.rest(), erin.username());
            try (Device erinLaptop = Devices.connect(server.tcp(), erinThird.accessToken(), "laptop")) {
                assertEquals(ackedIds(acked), msgIds(history(erinLaptop.client, conversation)),
                        "every acked message, with the msgId it was acked with");
            }

            server.stop();
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + server.dataDir() + "/router.db")) {
                assertEquals(oneTo(15), storedSeqs(db, conversation), "stored once each, seq 1..15");
            }
        }
    }

    private static List<Long> ackedIds(List<SendAck> acks) {
        return acks.stream().map(SendAck::getMsgId).toList();
    }

    private static List<Long> storedSeqs(Connection db, String conversation) throws Exception {
        try (PreparedStatement query = db.prepareStatement(
                "SELECT seq FROM message WHERE conversation_id = ? ORDER BY seq")) {
            query.setString(1, conversation);
            List<Long> seqs = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    seqs.add(rows.getLong(1));
                }
            }
            return seqs;
        }
    }
}
