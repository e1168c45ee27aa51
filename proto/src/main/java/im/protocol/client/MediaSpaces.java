package im.protocol.client;

/**
 * Blob spaces that are not conversations. A blob is uploaded to a space and read through it
 * ({@code /media/{space}/{blobId}}): a conversation's blobs to its members only, a user's avatar
 * ({@code u:{userId}}) to anyone signed in, as a profile is. The prefix never starts a
 * conversation id ({@link ConversationIds}), so no id names both.
 */
public final class MediaSpaces {

    private static final String AVATAR_PREFIX = "u:";

    private MediaSpaces() {
    }

    /** The space of a user's avatar. */
    public static String avatarOf(long userId) {
        if (userId <= 0) {
            throw new IllegalArgumentException("user ids must be positive");
        }
        return AVATAR_PREFIX + userId;
    }

    public static boolean isAvatarSpace(String space) {
        return space != null && space.startsWith(AVATAR_PREFIX);
    }

    /**
     * The user whose avatar space this is, or -1 when {@code space} is not one spelled as
     * {@link #avatarOf} spells it.
     */
    public static long avatarOwner(String space) {
        if (!isAvatarSpace(space) || space.length() > ConversationIds.MAX_LENGTH) {
            return -1;
        }
        try {
            long userId = Long.parseLong(space.substring(AVATAR_PREFIX.length()));
            return userId > 0 && space.equals(avatarOf(userId)) ? userId : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
