package im.router.send;

import im.protocol.client.Attachment;
import im.protocol.client.Content;
import im.protocol.client.Message;
import java.util.ArrayList;
import java.util.List;

/** The blobs a message names: its image and thumbnail or its file, or those of the content an edit brings. */
final class Attachments {

    private Attachments() {
    }

    static List<String> blobIdsOf(Message message) {
        List<String> ids = new ArrayList<>(2);
        add(message.getContent(), ids);
        if (message.hasChange()) {
            add(message.getChange().getContent(), ids);
        }
        return ids;
    }

    private static void add(Content content, List<String> ids) {
        switch (content.getKindCase()) {
            case IMAGE -> {
                add(content.getImage().getImage(), ids);
                if (content.getImage().hasThumbnail()) {
                    add(content.getImage().getThumbnail(), ids);
                }
            }
            case FILE -> add(content.getFile().getFile(), ids);
            default -> {
                // text and custom content name no blob of ours
            }
        }
    }

    private static void add(Attachment attachment, List<String> ids) {
        if (!attachment.getBlobId().isEmpty()) {
            ids.add(attachment.getBlobId());
        }
    }
}
