package im.system;

import im.client.sdk.ImClient;
import im.protocol.client.Message;
import im.protocol.client.SendAck;
import im.protocol.client.SyncPage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reading and writing whole conversations through the SDK, as an app would. */
final class Conversations {

    private Conversations() {
    }

    /** Sends count messages one after another (each after the previous ack), bodies "prefix-i". */
    static List<SendAck> sendInOrder(ImClient client, long toUserId, String prefix, int count) throws Exception {
        List<SendAck> acks = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            acks.add(client.send(toUserId, (prefix + "-" + i).getBytes(StandardCharsets.UTF_8))
                    .get(30, TimeUnit.SECONDS));
        }
        return acks;
    }

    /** The whole conversation from the server, page by page. */
    static List<Message> history(ImClient client, String conversationId) throws Exception {
        List<Message> all = new ArrayList<>();
        long after = 0;
        while (true) {
            SyncPage page = client.sync(conversationId, after, 100).get(30, TimeUnit.SECONDS);
            all.addAll(page.getMessagesList());
            if (!page.getHasMore() || page.getMessagesCount() == 0) {
                return all;
            }
            after = page.getMessages(page.getMessagesCount() - 1).getSeq();
        }
    }

    static List<Long> msgIds(List<Message> messages) {
        return messages.stream().map(Message::getMsgId).toList();
    }

    static List<Long> seqs(List<Message> messages) {
        return messages.stream().map(Message::getSeq).toList();
    }

    static String text(Message message) {
        return message.getBody().toString(StandardCharsets.UTF_8);
    }

    static List<Long> oneTo(int n) {
        List<Long> seqs = new ArrayList<>();
        for (long i = 1; i <= n; i++) {
            seqs.add(i);
        }
        return seqs;
    }
}
