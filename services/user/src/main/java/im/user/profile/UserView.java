package im.user.profile;

/**
 * A public profile as REST answers it. The avatar's blobs (null when none) are read at
 * {@code GET /media/u:{userId}/{blobId}} by anyone signed in.
 */
public record UserView(long userId, String username, String displayName, String avatarBlobId,
        String avatarThumbnailBlobId) {

    public static UserView of(UserProfile profile) {
        return new UserView(profile.userId, profile.username, profile.displayName, profile.avatarBlobId,
                profile.avatarThumbnailBlobId);
    }
}
