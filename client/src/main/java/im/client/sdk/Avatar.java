package im.client.sdk;

/**
 * The avatar a profile now shows ({@link ImRestClient#setAvatar}): its blob and its thumbnail's
 * (null when the image needed none or could not be decoded) in the user's avatar space, read by
 * anyone signed in with {@link ImRestClient#downloadAvatar}.
 */
public record Avatar(long userId, String space, String blobId, String thumbnailBlobId, String mimeType, long size,
        Integer width, Integer height) {
}
