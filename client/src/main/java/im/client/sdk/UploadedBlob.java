package im.client.sdk;

import im.protocol.client.Attachment;
import im.protocol.client.Content;
import im.protocol.client.FileContent;
import im.protocol.client.ImageContent;

/**
 * An attachment stored by the router ({@link ImRestClient#upload}): its blob id in its conversation,
 * and for a PNG, JPEG or GIF its size in pixels and a thumbnail (JPEG, or PNG with transparency,
 * at most 320x320), each null when the server could not read them (WebP, an undecodable image).
 * {@link #toContent()} makes the message that shows it.
 */
public record UploadedBlob(String blobId, String conversationId, String name, String mimeType, long size,
        Integer width, Integer height, Thumbnail thumbnail) {

    /** The thumbnail's own blob, downloaded like any blob of the conversation. */
    public record Thumbnail(String blobId, String mimeType, long size) {
    }

    public boolean isImage() {
        return mimeType != null && mimeType.startsWith("image/");
    }

    /** The attachment as a message names it. */
    public Attachment attachment() {
        return Attachment.newBuilder().setBlobId(blobId).setName(name == null ? "" : name)
                .setMimeType(mimeType).setSize(size).build();
    }

    /**
     * An {@code ImageContent} for an image (with its size and thumbnail when known), else a
     * {@code FileContent}: the content of the message that shares this upload.
     */
    public Content toContent() {
        if (!isImage()) {
            return Content.newBuilder().setFile(FileContent.newBuilder().setFile(attachment())).build();
        }
        ImageContent.Builder image = ImageContent.newBuilder().setImage(attachment())
                .setWidth(width == null ? 0 : width).setHeight(height == null ? 0 : height);
        if (thumbnail != null) {
            image.setThumbnail(Attachment.newBuilder().setBlobId(thumbnail.blobId())
                    .setName(name == null ? "" : name).setMimeType(thumbnail.mimeType()).setSize(thumbnail.size()));
        }
        return Content.newBuilder().setImage(image).build();
    }
}
