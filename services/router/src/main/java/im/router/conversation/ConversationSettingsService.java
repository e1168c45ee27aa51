package im.router.conversation;

import im.common.grpc.GrpcErrors;
import im.common.token.VerifiedUser;
import im.protocol.client.ConversationSettings;
import im.protocol.client.ErrorCode;
import im.protocol.client.SetConversationSettings;
import im.protocol.router.SetConversationSettingsRequest;
import im.router.conversation.ConversationListRepository.MemberSettings;
import im.router.routing.DeliveryRouting;
import im.router.store.GroupCommit;
import im.router.store.RouterStore;
import im.router.store.Shards;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * A user's own settings of a conversation (notifications off, pinned), kept on the user's member
 * row and written through the shard's group commit like every other write of the router. Once
 * committed they go to the user's other online devices, so every device's list follows.
 */
@ApplicationScoped
public class ConversationSettingsService {

    private static final Logger LOG = Logger.getLogger(ConversationSettingsService.class);
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int PER_TRANSACTION = 256;
    private static final int QUEUED = 4096;

    private final Shards shards;
    private final List<GroupCommit.Lane<Change, Changed>> stores;

    public ConversationSettingsService(Shards shards, ConversationListRepository list, DeliveryRouting routing) {
        this.shards = shards;
        SettingsBatch batch = new SettingsBatch(list, routing);
        this.stores = shards.all().stream()
                .map(shard -> shard.groupCommit().lane("conversation-settings", RouterStore.CONVERSATION_SETTINGS_RANK,
                        batch, PER_TRANSACTION, QUEUED))
                .toList();
    }

    /** Checks the request here; answers the settings as they are once the change committed. */
    public CompletionStage<ConversationSettings> set(VerifiedUser caller, SetConversationSettingsRequest request) {
        if (!DEVICE_ID.matcher(request.getDeviceId()).matches()) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "device_id must be 1..64 chars of [A-Za-z0-9._-]");
        }
        SetConversationSettings wanted = request.getSettings();
        ConversationAccess.requireMember(wanted.getConversationId(), caller.userId());
        int shard = shards.forWrite(wanted.getConversationId()).index();
        return stores.get(shard).submit(new Change(caller.userId(), request.getDeviceId(), wanted, System.currentTimeMillis()))
                .handle((changed, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                        LOG.warnf("Conversation settings update failed: %s", cause.toString());
                        throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "message store unavailable");
                    }
                    if (changed.settings() == null) {
                        throw GrpcErrors.error(ErrorCode.UNKNOWN_CONVERSATION, "no such conversation");
                    }
                    return changed.settings();
                });
    }

    /** A change asked by a device of a user, at a time (a pin's time). */
    record Change(long userId, String deviceId, SetConversationSettings wanted, long now) {
    }

    /** The settings after the change and whether it changed them; null settings: the user is no member. */
    record Changed(ConversationSettings settings, boolean moved) {
    }

    private static final class SettingsBatch implements GroupCommit.BatchWork<Change, Changed> {
        private final ConversationListRepository list;
        private final DeliveryRouting routing;

        SettingsBatch(ConversationListRepository list, DeliveryRouting routing) {
            this.list = list;
            this.routing = routing;
        }

        @Override
        public List<Changed> write(Connection connection, List<Change> items) throws SQLException {
            List<Changed> results = new ArrayList<>(items.size());
            for (Change item : items) {
                results.add(write(connection, item));
            }
            return results;
        }

        private Changed write(Connection connection, Change item) throws SQLException {
            String conversationId = item.wanted().getConversationId();
            MemberSettings before = list.lockSettings(connection, conversationId, item.userId()).orElse(null);
            if (before == null) {
                return new Changed(null, false);
            }
            MemberSettings after = applied(before, item.wanted(), item.now());
            if (!after.equals(before)) {
                list.setSettings(connection, conversationId, item.userId(), after);
            }
            return new Changed(ConversationSettings.newBuilder().setConversationId(conversationId)
                    .setNotificationsOff(after.notificationsOff())
                    .setPinned(after.pinnedAt() > 0)
                    .setPinnedAtMs(after.pinnedAt()).build(), !after.equals(before));
        }

        /** Unset fields stay; pinning what is pinned keeps its time (its place in the list). */
        private static MemberSettings applied(MemberSettings before, SetConversationSettings wanted, long now) {
            boolean off = wanted.hasNotificationsOff() ? wanted.getNotificationsOff() : before.notificationsOff();
            long pinnedAt = before.pinnedAt();
            if (wanted.hasPinned()) {
                pinnedAt = !wanted.getPinned() ? 0 : pinnedAt > 0 ? pinnedAt : now;
            }
            return new MemberSettings(off, pinnedAt);
        }

        @Override
        public void publish(List<Change> items, List<Changed> results) {
            for (int i = 0; i < items.size(); i++) {
                Changed changed = results.get(i);
                if (changed.moved()) {
                    routing.publishConversationSettings(items.get(i).userId(), changed.settings(),
                            items.get(i).deviceId());
                }
            }
        }
    }
}
