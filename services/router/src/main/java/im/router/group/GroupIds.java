package im.router.group;

import im.common.grpc.GrpcErrors;
import im.protocol.client.ConversationIds;
import im.protocol.client.ErrorCode;

/** Group ids and their conversations ("g:{groupId}"). */
public final class GroupIds {

    private static final String PREFIX = "g:";

    private GroupIds() {
    }

    public static boolean isGroup(String conversationId) {
        return conversationId.startsWith(PREFIX);
    }

    /** The conversation of a group id a caller gave. */
    public static String conversationOf(long groupId) {
        if (groupId <= 0) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "group_id must be positive");
        }
        return ConversationIds.group(groupId);
    }

    /** The group id of a well-formed group conversation id. */
    public static long of(String conversationId) {
        return Long.parseLong(conversationId.substring(PREFIX.length()));
    }

    /**
     * The group id of a conversation id a caller gave.
     *
     * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT when malformed
     */
    public static long parse(String conversationId) {
        try {
            long groupId = Long.parseLong(conversationId.substring(PREFIX.length()));
            if (groupId > 0 && conversationId.equals(ConversationIds.group(groupId))) {
                return groupId;
            }
        } catch (NumberFormatException e) {
            // malformed, below
        }
        throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "malformed conversation_id");
    }
}
