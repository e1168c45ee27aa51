package im.client.sdk;

/**
 * A user's public profile; the avatar's blob and its thumbnail's are null when the user has none
 * ({@link ImRestClient#downloadAvatar} reads them).
 */
public record UserView(long userId, String username, String displayName, String avatarBlobId,
        String avatarThumbnailBlobId) {
}
