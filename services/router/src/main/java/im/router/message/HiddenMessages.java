package im.router.message;

import im.common.grpc.GrpcErrors;
import im.common.token.VerifiedUser;
import im.protocol.client.ErrorCode;
import im.protocol.client.Message;
import im.protocol.client.MessagesHidden;
import im.protocol.router.HideMessagesRequest;
import im.router.conversation.ConversationAccess;
import im.router.conversation.ConversationRepository;
import im.router.group.GroupAccess;
import im.router.group.GroupRepository;
import im.router.routing.DeliveryRouting;
import im.router.store.GroupCommit;
import im.router.store.RouterStore;
import im.router.store.Shards;
import io.grpc.StatusRuntimeException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * "Delete for me": a user hides messages of a conversation for itself. Written through the shard's
 * group commit like every write of the router; once committed, the user's other online devices
 * hear of it, and every read of that user (sync, catch-up pages, the conversation list) shows the
 * messages hidden from then on.
 */
@ApplicationScoped
public class HiddenMessages {

    private static final Logger LOG = Logger.getLogger(HiddenMessages.class);
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    public static final int MAX_SEQS = 100;
    private static final int PER_TRANSACTION = 256;
    private static final int QUEUED = 4096;

    private final Shards shards;
    private final List<GroupCommit.Lane<Hide, Hidden>> stores;

    public HiddenMessages(Shards shards, HiddenMessageRepository hidden, GroupAccess access,
            ConversationRepository conversations, DeliveryRouting routing) {
        this.shards = shards;
        HideBatch batch = new HideBatch(hidden, access, conversations, routing);
        this.stores = shards.all().stream()
                .map(shard -> shard.groupCommit().lane("hidden-messages", RouterStore.HIDDEN_MESSAGES_RANK, batch,
                        PER_TRANSACTION, QUEUED))
                .toList();
    }

    /** Checks the request here; answers the seqs hidden once they are stored. */
    public CompletionStage<MessagesHidden> hide(VerifiedUser caller, HideMessagesRequest request) {
        if (!DEVICE_ID.matcher(request.getDeviceId()).matches()) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "device_id must be 1..64 chars of [A-Za-z0-9._-]");
        }
        String conversationId = request.getHide().getConversationId();
        ConversationAccess.requireMember(conversationId, caller.userId());
        TreeSet<Long> seqs = new TreeSet<>(request.getHide().getSeqsList());
        if (seqs.isEmpty() || seqs.size() > MAX_SEQS || seqs.first() <= 0) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "seqs must be 1.." + MAX_SEQS + " positive seqs");
        }
        int shard = shards.forWrite(conversationId).index();
        return stores.get(shard).submit(new Hide(caller.userId(), request.getDeviceId(), conversationId,
                List.copyOf(seqs))).handle((hidden, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                        LOG.warnf("Hiding messages failed: %s", cause.toString());
                        throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "message store unavailable");
                    }
                    if (hidden.refusal() != null) {
                        throw hidden.refusal();
                    }
                    return MessagesHidden.newBuilder().setConversationId(conversationId).addAllSeqs(seqs).build();
                });
    }

    /** The message as a user who hid it reads it: its seq and metadata, nothing it says. */
    public static Message asHidden(Message message) {
        return message.toBuilder().clearBody().clearContent().clearMentions().setHidden(true).build();
    }

    /** Seqs (ascending) a device of a user asked to hide in a conversation. */
    record Hide(long userId, String deviceId, String conversationId, List<Long> seqs) {
    }

    /** The seqs this call hid that were not hidden before; or the refusal. */
    record Hidden(List<Long> added, StatusRuntimeException refusal) {
    }

    private static final class HideBatch implements GroupCommit.BatchWork<Hide, Hidden> {
        private final HiddenMessageRepository hidden;
        private final GroupAccess access;
        private final ConversationRepository conversations;
        private final DeliveryRouting routing;

        HideBatch(HiddenMessageRepository hidden, GroupAccess access, ConversationRepository conversations,
                DeliveryRouting routing) {
            this.hidden = hidden;
            this.access = access;
            this.conversations = conversations;
            this.routing = routing;
        }

        @Override
        public List<Hidden> write(Connection connection, List<Hide> items) throws SQLException {
            List<Hidden> results = new ArrayList<>(items.size());
            for (Hide item : items) {
                results.add(write(connection, item));
            }
            return results;
        }

        private Hidden write(Connection connection, Hide item) throws SQLException {
            GroupRepository.Readable readable;
            try {
                readable = access.require(connection, item.conversationId(), item.userId());
            } catch (StatusRuntimeException refused) {
                return new Hidden(List.of(), refused);
            }
            long readableUpTo = Math.min(readable.lastSeq(), conversations.lastSeq(connection, item.conversationId()));
            long last = item.seqs().get(item.seqs().size() - 1);
            if (item.seqs().get(0) < readable.firstSeq() || last > readableUpTo) {
                return new Hidden(List.of(), GrpcErrors.error(ErrorCode.INVALID_ARGUMENT,
                        "seqs must be messages you may read (" + readable.firstSeq() + ".." + readableUpTo + ")"));
            }
            return new Hidden(hidden.hide(connection, item.conversationId(), item.userId(), item.seqs()), null);
        }

        @Override
        public void publish(List<Hide> items, List<Hidden> results) {
            for (int i = 0; i < items.size(); i++) {
                if (!results.get(i).added().isEmpty()) {
                    Hide item = items.get(i);
                    routing.publishMessagesHidden(item.userId(), MessagesHidden.newBuilder()
                            .setConversationId(item.conversationId()).addAllSeqs(item.seqs()).build(), item.deviceId());
                }
            }
        }
    }
}
