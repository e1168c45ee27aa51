package im.router.media;

import im.common.grpc.GrpcErrors;
import im.protocol.client.BlobIds;
import im.protocol.client.ErrorCode;
import im.protocol.client.MediaSpaces;
import im.router.conversation.ConversationAccess;
import im.router.group.GroupAccess;
import im.router.group.GroupRepository;
import im.router.media.BlobRepository.BlobRow;
import im.router.store.GroupCommit;
import im.router.store.RouterStore;
import im.router.store.Shards;
import io.grpc.StatusRuntimeException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Uploads and downloads of attachments: who may, what may be uploaded, where it goes. The bytes go
 * to the {@link BlobStore}; each blob's row ({@code media_blob}: its conversation, its uploader) is
 * written on the conversation's shard through the shard's group commit, like every write of the
 * router, and only after the bytes are stored, so a row always names a blob that is there.
 * Blocking: call from a worker thread.
 */
@ApplicationScoped
public class MediaService {

    private static final Logger LOG = Logger.getLogger(MediaService.class);
    private static final int MAX_NAME = 255;
    private static final int PER_TRANSACTION = 256;
    private static final int QUEUED = 1024;
    private static final long STORE_WAIT_SECONDS = 30;

    /** An upload as the REST layer hands it in; {@code contentLength} -1 when the request has none. */
    public record Upload(long uploaderId, String conversationId, String contentType, long contentLength, String name,
            InputStream body) {
    }

    /** The answer to an upload; width, height and thumbnail only for images the router could read. */
    public record Uploaded(String blobId, String conversationId, String name, String mimeType, long size,
            Integer width, Integer height, UploadedThumbnail thumbnail) {
    }

    public record UploadedThumbnail(String blobId, String mimeType, long size) {
    }

    /** A blob on its way to a reader, with the type it was uploaded as. Close it. */
    public record Download(BlobStore.StoredBlob blob, String mimeType) implements Closeable {
        @Override
        public void close() throws IOException {
            blob.close();
        }
    }

    private final MediaConfig config;
    private final Shards shards;
    private final GroupAccess access;
    private final BlobRepository blobs;
    private final BlobStore store;
    private final Thumbnailer thumbnailer;
    private final Set<String> types;
    private final List<GroupCommit.Lane<List<BlobRow>, Boolean>> lanes;

    public MediaService(MediaConfig config, Shards shards, GroupAccess access, BlobRepository blobs, BlobStore store) {
        this.config = config;
        this.shards = shards;
        this.access = access;
        this.blobs = blobs;
        this.store = store;
        this.thumbnailer = new Thumbnailer(config.thumbnails().size(), config.thumbnails().maxPixels(),
                config.thumbnails().concurrency());
        this.types = config.types().stream().map(type -> type.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        GroupCommit.BatchWork<List<BlobRow>, Boolean> work = (connection, items) -> {
            List<BlobRow> rows = new ArrayList<>();
            items.forEach(rows::addAll);
            blobs.insert(connection, rows);
            return items.stream().map(item -> Boolean.TRUE).toList();
        };
        this.lanes = shards.all().stream()
                .map(shard -> shard.groupCommit().lane("media-blobs", RouterStore.MEDIA_BLOBS_RANK, work, PER_TRANSACTION, QUEUED))
                .toList();
    }

    /**
     * Stores an upload of a current member of the conversation.
     *
     * @throws MediaRefusal for every reason the caller can act on
     */
    public Uploaded upload(Upload upload) {
        String mimeType = allowedType(upload.contentType());
        if (upload.contentLength() > config.maxBytes()) {
            throw tooLarge(config.maxBytes());
        }
        String name = name(upload.name());
        int shard = requireUploader(upload.conversationId(), upload.uploaderId());
        return store(upload.body(), upload.contentLength(), config.maxBytes(), upload.conversationId(), name, mimeType,
                shard, upload.uploaderId());
    }

    /**
     * Stores an image as the user's avatar in the user's own space ({@link MediaSpaces#avatarOf}),
     * with its thumbnail when one could be made. Only the user uploads there; anyone signed in
     * reads it ({@link #download}).
     *
     * @throws MediaRefusal UNSUPPORTED_TYPE for anything but PNG, JPEG or GIF, TOO_LARGE past
     *     {@code avatar-max-bytes}, and the refusals of any image upload
     */
    public Uploaded uploadAvatar(long userId, String contentType, long contentLength, InputStream body) {
        String mimeType = allowedType(contentType);
        if (!Thumbnailer.reads(mimeType)) {
            throw new MediaRefusal(MediaProblem.UNSUPPORTED_TYPE, "an avatar is a PNG, JPEG or GIF image");
        }
        if (contentLength > config.avatarMaxBytes()) {
            throw tooLarge(config.avatarMaxBytes());
        }
        String space = MediaSpaces.avatarOf(userId);
        int shard;
        try {
            shard = shards.forWrite(space).index();
        } catch (StatusRuntimeException e) {
            throw new MediaRefusal(MediaProblem.UNAVAILABLE, GrpcErrors.messageOf(e));
        }
        return store(body, contentLength, config.avatarMaxBytes(), space, null, mimeType, shard, userId);
    }

    /** Stores the bytes (at most {@code maxBytes}), then their rows on {@code shard}; nothing stays of a failure. */
    private Uploaded store(InputStream in, long contentLength, long maxBytes, String space, String name,
            String mimeType, int shard, long uploaderId) {
        LimitedInputStream body = new LimitedInputStream(in, maxBytes);
        List<String> stored = new ArrayList<>(2);
        try {
            Uploaded uploaded = Thumbnailer.reads(mimeType)
                    ? storeImage(body, space, name, mimeType, stored)
                    : storeFile(body, contentLength, space, name, mimeType, stored);
            record(shard, uploaderId, uploaded);
            return uploaded;
        } catch (IOException e) {
            removeQuietly(stored);
            if (body.exceeded()) {
                throw tooLarge(maxBytes);
            }
            LOG.debugf("Upload failed: %s", e.toString());
            throw new MediaRefusal(MediaProblem.UNAVAILABLE, "the upload could not be stored; try again");
        } catch (RuntimeException e) {
            removeQuietly(stored);
            if (body.exceeded()) {
                throw tooLarge(maxBytes);
            }
            throw e;
        }
    }

    private Uploaded storeFile(LimitedInputStream body, long length, String conversationId, String name, String mimeType,
            List<String> stored) throws IOException {
        String blobId = BlobIds.next();
        stored.add(blobId);
        long size = store.put(blobId, body, length, mimeType);
        return new Uploaded(blobId, conversationId, name, mimeType, size, null, null, null);
    }

    /** An image is read from a local copy: its header, then its thumbnail, before anything is stored. */
    private Uploaded storeImage(LimitedInputStream body, String conversationId, String name, String mimeType,
            List<String> stored) throws IOException {
        Path spooled = config.spoolDir().isPresent() ? Files.createTempFile(config.spoolDir().get(), "upload-", ".part")
                : Files.createTempFile("upload-", ".part");
        try {
            long size = Files.copy(body, spooled, StandardCopyOption.REPLACE_EXISTING);
            Thumbnailer.Image image = thumbnailer.read(spooled, mimeType);
            String blobId = BlobIds.next();
            stored.add(blobId);
            store.put(blobId, spooled, mimeType);
            UploadedThumbnail thumbnail = null;
            if (image.thumbnail() != null) {
                String thumbnailId = BlobIds.next();
                stored.add(thumbnailId);
                store.put(thumbnailId, image.thumbnail().bytes(), image.thumbnail().mimeType());
                thumbnail = new UploadedThumbnail(thumbnailId, image.thumbnail().mimeType(), image.thumbnail().bytes().length);
            }
            return new Uploaded(blobId, conversationId, name, mimeType, size, image.width(), image.height(), thumbnail);
        } finally {
            Files.deleteIfExists(spooled);
        }
    }

    /** Writes the blob's rows (and its thumbnail's) through the shard's group commit and waits for the commit. */
    private void record(int shard, long uploaderId, Uploaded uploaded) {
        long now = System.currentTimeMillis();
        List<BlobRow> rows = new ArrayList<>(2);
        rows.add(new BlobRow(uploaded.blobId(), uploaded.conversationId(), uploaderId, uploaded.mimeType(), uploaded.size(), now));
        if (uploaded.thumbnail() != null) {
            rows.add(new BlobRow(uploaded.thumbnail().blobId(), uploaded.conversationId(), uploaderId,
                    uploaded.thumbnail().mimeType(), uploaded.thumbnail().size(), now));
        }
        try {
            lanes.get(shard).submit(rows).toCompletableFuture().get(STORE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("Storing blob rows failed: %s", (e.getCause() == null ? e : e.getCause()).toString());
            throw new MediaRefusal(MediaProblem.UNAVAILABLE, "the upload could not be stored; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MediaRefusal(MediaProblem.UNAVAILABLE, "interrupted while storing the upload");
        }
    }

    /**
     * Opens a blob of the space for a user who may read the space: a conversation's for its
     * members, an avatar's for anyone.
     *
     * @throws MediaRefusal UNKNOWN_BLOB alike for an unknown id, another space's blob and a
     *     conversation the user may not read; UNAVAILABLE when the store failed
     */
    public Download download(long userId, String space, String blobId) {
        if (!BlobIds.isWellFormed(blobId)) {
            throw unknownBlob();
        }
        Optional<BlobRow> row;
        try {
            if (MediaSpaces.isAvatarSpace(space)) {
                if (MediaSpaces.avatarOwner(space) < 0) {
                    throw unknownBlob();
                }
                row = shards.of(space).transactions().read(connection -> blobs.find(connection, blobId, space));
            } else {
                ConversationAccess.requireMember(space, userId);
                row = shards.of(space).transactions().read(connection -> {
                    access.require(connection, space, userId);
                    return blobs.find(connection, blobId, space);
                });
            }
        } catch (StatusRuntimeException e) {
            throw unknownBlob();
        } catch (SQLException e) {
            LOG.errorf(e, "Blob read failed");
            throw new MediaRefusal(MediaProblem.UNAVAILABLE, "the blob store is unavailable; try again");
        }
        if (row.isEmpty()) {
            throw unknownBlob();
        }
        try {
            Optional<BlobStore.StoredBlob> blob = store.open(blobId);
            if (blob.isEmpty()) {
                LOG.warnf("Blob %s of %s has a row but no bytes in the store", blobId, space);
                throw unknownBlob();
            }
            return new Download(blob.get(), row.get().mimeType());
        } catch (IOException e) {
            LOG.warnf("Opening blob %s failed: %s", blobId, e.toString());
            throw new MediaRefusal(MediaProblem.UNAVAILABLE, "the blob store is unavailable; try again");
        }
    }

    /** The caller is a current member (a private conversation names it; a group lists it now); answers the shard. */
    private int requireUploader(String conversationId, long userId) {
        try {
            ConversationAccess.requireMember(conversationId, userId);
            GroupRepository.Readable readable = shards.of(conversationId).transactions()
                    .read(connection -> access.require(connection, conversationId, userId));
            if (readable.lastSeq() != Long.MAX_VALUE) {
                throw unknownConversation();
            }
            return shards.forWrite(conversationId).index();
        } catch (StatusRuntimeException e) {
            ErrorCode code = GrpcErrors.codeOf(e);
            if (code == ErrorCode.INVALID_ARGUMENT) {
                throw new MediaRefusal(MediaProblem.INVALID_ARGUMENT, GrpcErrors.messageOf(e));
            }
            if (code == ErrorCode.UNAVAILABLE) {
                throw new MediaRefusal(MediaProblem.UNAVAILABLE, GrpcErrors.messageOf(e));
            }
            throw unknownConversation();
        } catch (SQLException e) {
            LOG.errorf(e, "Membership read failed");
            throw new MediaRefusal(MediaProblem.UNAVAILABLE, "the message store is unavailable; try again");
        }
    }

    /** The content type without parameters, when the allow-list has it. */
    private String allowedType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw new MediaRefusal(MediaProblem.UNSUPPORTED_TYPE, "an upload needs the file's Content-Type");
        }
        int parameters = contentType.indexOf(';');
        String type = (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
        if (!types.contains(type)) {
            throw new MediaRefusal(MediaProblem.UNSUPPORTED_TYPE, "attachments of type '" + echo(type)
                    + "' are not taken; these are: " + String.join(", ", config.types()));
        }
        return type;
    }

    /** A file name as a receiver shows it: no path, no control characters, at most 255 characters. */
    private static String name(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        if (name.length() > MAX_NAME || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0
                || name.codePoints().anyMatch(Character::isISOControl)) {
            throw new MediaRefusal(MediaProblem.INVALID_ARGUMENT,
                    "name must be a file name of at most " + MAX_NAME + " characters, without / \\ or control characters");
        }
        return name;
    }

    private void removeQuietly(List<String> blobIds) {
        for (String blobId : blobIds) {
            try {
                store.delete(blobId);
            } catch (IOException | RuntimeException e) {
                LOG.warnf("Removing blob %s of a failed upload failed: %s", blobId, e.toString());
            }
        }
    }

    private static MediaRefusal tooLarge(long maxBytes) {
        return new MediaRefusal(MediaProblem.TOO_LARGE, "this upload may have at most " + maxBytes + " bytes");
    }

    private static MediaRefusal unknownConversation() {
        return new MediaRefusal(MediaProblem.UNKNOWN_CONVERSATION, "no such conversation");
    }

    private static MediaRefusal unknownBlob() {
        return new MediaRefusal(MediaProblem.UNKNOWN_BLOB, "no such blob here");
    }

    private static String echo(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "..." : text.replaceAll("\\p{Cntrl}", "?");
    }
}
