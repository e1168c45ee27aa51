package im.router.offline;

import java.util.Collection;
import java.util.Set;

/** Which recipients turned a conversation's notifications off (what apps call muting a chat). */
@FunctionalInterface
public interface MutedRecipients {

    /** A recipient in one conversation. */
    record Recipient(String conversationId, long userId) {
    }

    /** Those of {@code recipients} that muted their conversation. Blocking; never throws (none when unknown). */
    Set<Recipient> mutedAmong(Collection<Recipient> recipients);
}
