package im.router.conversation;

import im.common.grpc.GrpcErrors;
import im.protocol.client.ConversationIds;
import im.protocol.client.ErrorCode;
import java.util.List;

/**
 * Who may read a conversation. A private conversation's members are named in its id, so the check
 * needs no database read and answers alike before and after its first message.
 */
public final class ConversationAccess {

    private static final String GROUP_PREFIX = "g:";

    private ConversationAccess() {
    }

    /**
     * The conversation's members, once {@code userId} is one of them.
     *
     * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT for a malformed id or a group id,
     *     UNKNOWN_CONVERSATION when the user is not a member
     */
    public static List<Long> requireMember(String conversationId, long userId) {
        if (conversationId.isEmpty() || conversationId.length() > ConversationIds.MAX_LENGTH) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT,
                    "conversation_id must be 1.." + ConversationIds.MAX_LENGTH + " characters");
        }
        if (conversationId.startsWith(GROUP_PREFIX)) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "groups are not supported yet");
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
