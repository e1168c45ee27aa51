package im.router.send;

import im.protocol.client.ErrorCode;
import im.protocol.client.GroupRole;
import im.protocol.client.Message;
import im.protocol.client.MessageChange;
import im.router.group.GroupRoster;
import im.router.message.MentionRepository;
import im.router.message.MessageChangeRepository;
import im.router.message.MessageRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who may change which message, and what a stored change does to its target. Runs in the send's
 * transaction, on its connection: the target is read there, and a recall removes what the target
 * says (its body, content and mentions, and the content of its edits) in the same commit as the
 * change that tells every device of it.
 */
@ApplicationScoped
public class ChangeRules {

    private final ChangeConfig config;
    private final MessageRepository messages;
    private final MessageChangeRepository changes;
    private final MentionRepository mentions;

    public ChangeRules(ChangeConfig config, MessageRepository messages, MessageChangeRepository changes,
            MentionRepository mentions) {
        this.config = config;
        this.messages = messages;
        this.changes = changes;
        this.mentions = mentions;
    }

    /** A change that may be stored (its target's msg id filled in), or why not. */
    record Checked(Message change, ErrorCode code, String refusal) {
        static Checked refused(ErrorCode code, String refusal) {
            return new Checked(null, code, refusal);
        }
    }

    /**
     * Checks a change against its target as stored, and against the targets recalled earlier in the
     * same batch.
     *
     * @param roster the group's roster for a group's change; null in a private chat
     */
    Checked check(Connection connection, Message change, GroupRoster roster, Set<Long> recalledInBatch, long now)
            throws SQLException {
        MessageChange wanted = change.getChange();
        Optional<Message> found = messages.at(connection, change.getConversationId(), wanted.getTargetSeq());
        if (found.isEmpty()) {
            return Checked.refused(ErrorCode.INVALID_ARGUMENT, "no message at seq " + wanted.getTargetSeq());
        }
        Message target = found.get();
        if (target.hasGroupEvent() || target.hasChange()) {
            return Checked.refused(ErrorCode.INVALID_ARGUMENT, "a system message or a change cannot be changed");
        }
        if (target.getRecalled() || recalledInBatch.contains(target.getSeq())) {
            return Checked.refused(ErrorCode.INVALID_ARGUMENT, "the message was recalled");
        }
        boolean own = target.getSenderId() == change.getSenderId();
        long age = now - target.getCreatedAtMs();
        String refusal = switch (wanted.getKind()) {
            case RECALLED -> {
                GroupRoster.Member actor = roster == null ? null : roster.member(change.getSenderId());
                boolean moderator = actor != null && actor.atLeast(GroupRole.ADMIN);
                if (moderator || own && age <= config.recallWindow().toMillis()) {
                    yield null;
                }
                yield own ? "past the recall window (" + config.recallWindow().toSeconds() + " s)"
                        : "only its sender or a group's owner or admins recall a message";
            }
            case EDITED -> own && age <= config.editWindow().toMillis() ? null
                    : own ? "past the edit window (" + config.editWindow().toSeconds() + " s)"
                    : "only its sender edits a message";
            default -> "unknown change";
        };
        if (refusal != null) {
            return Checked.refused(ErrorCode.PERMISSION_DENIED, refusal);
        }
        return new Checked(change.toBuilder().setChange(wanted.toBuilder().setTargetMsgId(target.getMsgId())).build(),
                null, null);
    }

    /** After the batch's messages are inserted: what its changes do to their targets. */
    void apply(Connection connection, List<Message> stored) throws SQLException {
        for (Message message : stored) {
            if (message.hasChange() && message.getChange().getKind() == MessageChange.Kind.RECALLED) {
                String conversation = message.getConversationId();
                long target = message.getChange().getTargetSeq();
                messages.recall(connection, conversation, target);
                mentions.forget(connection, conversation, target);
                for (long edit : changes.changesOf(connection, conversation, target)) {
                    messages.replaceChange(connection, conversation, edit, MessageChange.newBuilder()
                            .setKind(MessageChange.Kind.EDITED).setTargetSeq(target).build());
                }
            }
        }
        changes.insertAll(connection, stored);
    }
}
