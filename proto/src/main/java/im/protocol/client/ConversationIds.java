package im.protocol.client;

/**
 * Conversation ids as every part of the system spells them: {@code p:{low}:{high}} for a private
 * chat (the two user ids, lower first, so both sides name it alike) and {@code g:{groupId}} for a
 * group. Part of the contract, so it lives beside the generated messages.
 */
public final class ConversationIds {

    /** Longest id the store accepts (two 19-digit user ids and the separators fit easily). */
    public static final int MAX_LENGTH = 64;

    private static final String PRIVATE_PREFIX = "p:";
    private static final String GROUP_PREFIX = "g:";

    private ConversationIds() {
    }

    public static String privateChat(long userA, long userB) {
        if (userA <= 0 || userB <= 0) {
            throw new IllegalArgumentException("user ids must be positive");
        }
        return PRIVATE_PREFIX + Math.min(userA, userB) + ":" + Math.max(userA, userB);
    }

    public static String group(long groupId) {
        if (groupId <= 0) {
            throw new IllegalArgumentException("group id must be positive");
        }
        return GROUP_PREFIX + groupId;
    }

    public static boolean isPrivate(String conversationId) {
        return conversationId != null && conversationId.startsWith(PRIVATE_PREFIX);
    }

    /**
     * The two members of a private conversation, lower id first.
     *
     * @throws IllegalArgumentException when the id is not a well-formed private conversation id
     */
    public static long[] privateMembers(String conversationId) {
        if (!isPrivate(conversationId) || conversationId.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("not a private conversation id: " + conversationId);
        }
        String[] parts = conversationId.substring(PRIVATE_PREFIX.length()).split(":", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a private conversation id: " + conversationId);
        }
        try {
            long low = Long.parseLong(parts[0]);
            long high = Long.parseLong(parts[1]);
            if (low <= 0 || high < low || !conversationId.equals(privateChat(low, high))) {
                throw new IllegalArgumentException("not a canonical private conversation id: " + conversationId);
            }
            return new long[] {low, high};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a private conversation id: " + conversationId, e);
        }
    }

    /** The other member of a private conversation, seen from {@code userId}. */
    public static long peerOf(String conversationId, long userId) {
        long[] members = privateMembers(conversationId);
        if (members[0] == userId) {
            return members[1];
        }
        if (members[1] == userId) {
            return members[0];
        }
        throw new IllegalArgumentException(userId + " is not a member of " + conversationId);
    }
}
