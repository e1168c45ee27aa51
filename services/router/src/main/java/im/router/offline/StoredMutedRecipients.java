package im.router.offline;

import im.router.store.Shards;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The mute flags as the member rows hold them ({@code conversation_member.notifications_off}):
 * one read per shard and chunk of a batch's recipients.
 */
@ApplicationScoped
class StoredMutedRecipients implements MutedRecipients {

    private static final Logger LOG = Logger.getLogger(StoredMutedRecipients.class);
    private static final int CHUNK = 100;

    private final Shards shards;

    StoredMutedRecipients(Shards shards) {
        this.shards = shards;
    }

    @Override
    public Set<Recipient> mutedAmong(Collection<Recipient> recipients) {
        Map<Shards.Shard, List<Recipient>> byShard = new LinkedHashMap<>();
        for (Recipient recipient : new HashSet<>(recipients)) {
            byShard.computeIfAbsent(shards.of(recipient.conversationId()), shard -> new ArrayList<>()).add(recipient);
        }
        Set<Recipient> muted = new HashSet<>();
        byShard.forEach((shard, onShard) -> {
            for (int from = 0; from < onShard.size(); from += CHUNK) {
                List<Recipient> chunk = onShard.subList(from, Math.min(onShard.size(), from + CHUNK));
                try {
                    muted.addAll(shard.transactions().read(connection -> {
                        try (PreparedStatement statement = connection.prepareStatement(query(chunk.size()))) {
                            for (int i = 0; i < chunk.size(); i++) {
                                statement.setString(2 * i + 1, chunk.get(i).conversationId());
                                statement.setLong(2 * i + 2, chunk.get(i).userId());
                            }
                            Set<Recipient> found = new HashSet<>();
                            try (ResultSet rows = statement.executeQuery()) {
                                while (rows.next()) {
                                    found.add(new Recipient(rows.getString(1), rows.getLong(2)));
                                }
                            }
                            return found;
                        }
                    }));
                } catch (SQLException | RuntimeException e) {
                    // A notification too many is better than one lost: unread flags count as not muted.
                    LOG.warnf("Mute flags of %d offline recipients not read; sent as not muted: %s", chunk.size(),
                            e.toString());
                }
            }
        });
        return muted;
    }

    /** Member rows by their key, muted only; the key's index serves each pair. */
    private static String query(int pairs) {
        StringBuilder sql = new StringBuilder(
                "SELECT conversation_id, user_id FROM conversation_member WHERE notifications_off <> 0 AND (");
        for (int i = 0; i < pairs; i++) {
            sql.append(i == 0 ? "" : " OR ").append("(conversation_id = ? AND user_id = ?)");
        }
        return sql.append(')').toString();
    }
}
