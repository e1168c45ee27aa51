package im.router.conversation;

import im.common.grpc.GrpcErrors;
import im.protocol.client.ConversationIds;
import im.protocol.client.ErrorCode;
import im.router.group.GroupIds;
import java.util.List;

/**
 * Who may read a conversation, as far as its id tells. A private conversation's members are named
 * in its id, so the check needs no database read and answers alike before and after its first
 * message. A group's members are in the store: readers check them with {@code GroupAccess} on the
 * conversation's shard; a delivery ack, which reveals nothing, is taken from anyone.
 */
public final class ConversationAccess {

    private static final String GROUP_PREFIX = "g:";

    private ConversationAccess() {
    }

    /**
     * A private conversation's members, once {@code userId} is one of them; for a well-formed group
     * id none (its members are not named by the id and its receipts are not told to each).
     *
     * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT for a malformed id, UNKNOWN_CONVERSATION
     *     when the user is not a member of the private conversation
     */
    public static List<Long> requireMember(String conversationId, long userId) {
        if (conversationId.isEmpty() || conversationId.length() > ConversationIds.MAX_LENGTH) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT,
                    "conversation_id must be 1.." + ConversationIds.MAX_LENGTH + " characters");
        }
        if (conversationId.startsWith(GROUP_PREFIX)) {
            GroupIds.parse(conversationId);
            return List.of();
        }
        long[] members;
        try {
            members = ConversationIds.privateMembers(conversationId);
        } catch (IllegalArgumentException e) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "malformed conversation_id");
        }
        if (members[0] != userId && members[1] != userId) {
            // The same answer as for a conversation that does not exist: ids reveal nothing.
            throw GrpcErrors.error(ErrorCode.UNKNOWN_CONVERSATION, "no such conversation");
        }
        return List.of(members[0], members[1]);
    }

    /** The members other than {@code userId}: who hears of that user's receipts. */
    public static List<Long> othersThan(List<Long> members, long userId) {
        return members.stream().filter(member -> member != userId).toList();
    }
}
