package im.router.media;

import im.protocol.client.BlobIds;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where attachments' bytes live, by blob id: files on this node ({@link LocalBlobStore}) or an
 * S3-compatible object store ({@link S3BlobStore}), chosen by {@code im.router.media.store}. Who may
 * read a blob is not its business: the router's {@code media_blob} rows and the conversation's
 * members decide that ({@link MediaService}). Blocking; call from a worker thread.
 *
 * <p>A blob is whole or absent: a put that fails or is cut short leaves nothing under the id.
 * Blob ids are the router's own ({@link BlobIds}).
 */
public interface BlobStore {

    /**
     * Stores {@code content} under {@code blobId}.
     *
     * @param length the exact number of bytes {@code content} holds, or -1 when not known
     * @return the number of bytes stored
     * @throws IOException when the store failed, or {@code content} did (nothing is stored then)
     */
    long put(String blobId, InputStream content, long length, String contentType) throws IOException;

    default long put(String blobId, byte[] content, String contentType) throws IOException {
        return put(blobId, new ByteArrayInputStream(content), content.length, contentType);
    }

    /** Stores the file's bytes under {@code blobId}; answers their number. */
    default long put(String blobId, Path file, String contentType) throws IOException {
        try (InputStream content = Files.newInputStream(file)) {
            return put(blobId, content, Files.size(file), contentType);
        }
    }

    /** The blob's bytes, to be closed by the caller; empty when there is no blob of that id. */
    Optional<StoredBlob> open(String blobId) throws IOException;

    /** Removes the blob; nothing happens when there is none. */
    void delete(String blobId) throws IOException;

    /** An open blob: its bytes, their number and the content type it was stored with. */
    record StoredBlob(InputStream content, long length, String contentType) implements Closeable {
        @Override
        public void close() throws IOException {
            content.close();
        }
    }
}
