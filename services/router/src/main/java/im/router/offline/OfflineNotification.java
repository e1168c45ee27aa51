package im.router.offline;

import im.protocol.client.ConversationIds;
import im.protocol.client.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * That a message waits for a user with no online device: metadata only. The body never leaves
 * the system through the hook (it may be end-to-end encrypted, and the receiver's push services
 * are third parties); the phone fetches the message by sync once woken.
 *
 * @param id        the same for the same message and user on every call, so a receiver drops what a
 *                  retried call repeats
 * @param mentioned the message mentions the user: worth a notification even where the user turned the
 *                  conversation's notifications off
 *
 * <p>Whether the user muted the conversation is read when the batch is sent ({@link #payload}): a
 * receiver then wakes the phone for a muted chat only when the user is mentioned, or only updates
 * its badge, as the apps it serves do.
 */
public record OfflineNotification(String id, long userId, String conversationId, long seq, long senderId,
        long messageId, long sentAtMs, boolean group, boolean mentioned) {

    /** The notification of {@code message} for {@code userId}. */
    public static OfflineNotification of(Message message, long userId) {
        return new OfflineNotification(message.getMsgId() + ":" + userId, userId, message.getConversationId(),
                message.getSeq(), message.getSenderId(), message.getMsgId(), message.getCreatedAtMs(),
                !ConversationIds.isPrivate(message.getConversationId()), message.getMentionsList().contains(userId));
    }

    /** The request body of one call: {@code {"notifications":[...]}}, each flagged {@code muted} as {@code muted} says. */
    public static byte[] payload(List<OfflineNotification> batch, Set<MutedRecipients.Recipient> muted) {
        JsonArray notifications = new JsonArray();
        for (OfflineNotification n : batch) {
            notifications.add(new JsonObject()
                    .put("id", n.id())
                    .put("userId", n.userId())
                    .put("conversationId", n.conversationId())
                    .put("seq", n.seq())
                    .put("senderId", n.senderId())
                    .put("messageId", n.messageId())
                    .put("sentAtMs", n.sentAtMs())
                    .put("group", n.group())
                    .put("mentioned", n.mentioned())
                    .put("muted", muted.contains(new MutedRecipients.Recipient(n.conversationId(), n.userId()))));
        }
        return new JsonObject().put("notifications", notifications).toBuffer().getBytes();
    }
}
