package im.router.send;

import im.common.grpc.GrpcErrors;
import im.protocol.client.Attachment;
import im.protocol.client.BlobIds;
import im.protocol.client.Content;
import im.protocol.client.ErrorCode;
import im.protocol.client.MessageChange;
import im.protocol.client.Send;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a send may carry: body bytes or typed content (never both, never neither), within the body
 * limit; text within its length; attachments and custom types named sanely; mentions of at most
 * a bounded number of users. Whether the mentioned users are members is checked where the
 * conversation's members are known (the peer here for a private chat, the roster at store time
 * for a group).
 */
final class ContentRules {

    private static final Pattern CUSTOM_TYPE = Pattern.compile("[A-Za-z0-9._/-]{1,64}");
    private static final int MAX_NAME = 255;
    private static final int MAX_MIME = 127;

    private ContentRules() {
    }

    /** Checks the send's payload; throws INVALID_ARGUMENT naming what is wrong. */
    static void check(Send send, SendConfig config) {
        if (send.hasChange()) {
            checkChange(send, config);
            return;
        }
        if (send.hasContent()) {
            if (!send.getBody().isEmpty()) {
                throw invalid("a message carries body or content, not both");
            }
            if (send.getContent().getSerializedSize() > config.maxBodyBytes()) {
                throw invalid("content must be at most " + config.maxBodyBytes() + " bytes");
            }
            checkContent(send.getContent(), config);
        } else if (send.getBody().isEmpty() || send.getBody().size() > config.maxBodyBytes()) {
            throw invalid("body must be 1.." + config.maxBodyBytes() + " bytes");
        }
        if (send.getMentionsCount() > config.maxMentions()) {
            throw invalid("at most " + config.maxMentions() + " mentions");
        }
        for (long mentioned : send.getMentionsList()) {
            if (mentioned <= 0) {
                throw invalid("mentions must be user ids");
            }
        }
    }

    /** The users mentioned, each once, ascending, the sender left out (a user needs no notice of its own message). */
    static List<Long> mentionsOf(Send send, long senderId) {
        TreeSet<Long> mentioned = new TreeSet<>(send.getMentionsList());
        mentioned.remove(senderId);
        return List.copyOf(mentioned);
    }

    /** A change carries nothing but itself; an edit carries the new content, a recall none. */
    private static void checkChange(Send send, SendConfig config) {
        if (!send.getBody().isEmpty() || send.hasContent() || send.getMentionsCount() > 0) {
            throw invalid("a change carries no body, content or mentions of its own");
        }
        MessageChange change = send.getChange();
        if (change.getTargetSeq() <= 0) {
            throw invalid("change target_seq must be positive");
        }
        switch (change.getKind()) {
            case RECALLED -> {
                if (change.hasContent()) {
                    throw invalid("a recall carries no content");
                }
            }
            case EDITED -> {
                if (!change.hasContent()) {
                    throw invalid("an edit carries the message's new content");
                }
                if (change.getContent().getSerializedSize() > config.maxBodyBytes()) {
                    throw invalid("content must be at most " + config.maxBodyBytes() + " bytes");
                }
                checkContent(change.getContent(), config);
            }
            default -> throw invalid("change kind must be RECALLED or EDITED");
        }
    }

    private static void checkContent(Content content, SendConfig config) {
        switch (content.getKindCase()) {
            case TEXT -> {
                String text = content.getText().getText();
                int length = text.codePointCount(0, text.length());
                if (text.isBlank() || length > config.maxTextLength()) {
                    throw invalid("text must be 1.." + config.maxTextLength() + " characters, not all white space");
                }
            }
            case IMAGE -> {
                checkAttachment(content.getImage().getImage(), "image");
                if (content.getImage().hasThumbnail()) {
                    checkAttachment(content.getImage().getThumbnail(), "thumbnail");
                }
                if (content.getImage().getWidth() < 0 || content.getImage().getHeight() < 0) {
                    throw invalid("image width and height must not be negative");
                }
            }
            case FILE -> checkAttachment(content.getFile().getFile(), "file");
            case CUSTOM -> {
                if (!CUSTOM_TYPE.matcher(content.getCustom().getType()).matches()) {
                    throw invalid("custom type must be 1..64 characters of [A-Za-z0-9._/-]");
                }
            }
            case KIND_NOT_SET -> throw invalid("content names no kind (text, image, file or custom)");
        }
    }

    private static void checkAttachment(Attachment attachment, String what) {
        if (!BlobIds.isWellFormed(attachment.getBlobId())) {
            throw invalid(what + " blob_id must be " + BlobIds.RULE);
        }
        if (attachment.getName().length() > MAX_NAME || attachment.getMimeType().length() > MAX_MIME) {
            throw invalid(what + " name must be at most " + MAX_NAME + " and mime_type " + MAX_MIME + " characters");
        }
        if (attachment.getSize() < 0) {
            throw invalid(what + " size must not be negative");
        }
    }

    private static StatusRuntimeException invalid(String message) {
        return GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, message);
    }
}
