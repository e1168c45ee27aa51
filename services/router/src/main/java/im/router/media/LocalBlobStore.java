package im.router.media;

import im.protocol.client.BlobIds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Blobs as files under one directory: {@code <dir>/<first two characters of the id>/<id>}, its
 * content type beside it in {@code <id>.type} (ids have no dots, so no blob is named like that).
 * Two characters of a random id spread the files over 4,096 directories.
 *
 * <p>A put writes a file in {@code <dir>/.tmp}, forces it to disk and renames it to its name in one
 * atomic move, so a crash at any point leaves either the whole blob or none under its name; the
 * files a crash left in {@code .tmp} are removed at the next start. The type is moved into place
 * before the bytes: a blob that is there always has its type.
 */
public final class LocalBlobStore implements BlobStore {

    private static final Logger LOG = Logger.getLogger(LocalBlobStore.class);
    private static final String TYPE_SUFFIX = ".type";
    private static final String DEFAULT_TYPE = "application/octet-stream";

    private final Path dir;
    private final Path tmp;

    public LocalBlobStore(Path dir) throws IOException {
        this.dir = dir.toAbsolutePath().normalize();
        this.tmp = this.dir.resolve(".tmp");
        Files.createDirectories(tmp);
        removeLeftovers();
    }

    @Override
    public long put(String blobId, InputStream content, long length, String contentType) throws IOException {
        Path target = pathOf(blobId);
        Files.createDirectories(target.getParent());
        Path bytes = Files.createTempFile(tmp, blobId, ".part");
        Path type = Files.createTempFile(tmp, blobId, ".type.part");
        try {
            long written = write(bytes, content);
            if (length >= 0 && written != length) {
                throw new IOException("blob " + blobId + ": " + written + " bytes arrived of " + length);
            }
            write(type, new ByteArrayInputStream(contentType.getBytes(StandardCharsets.UTF_8)));
            Files.move(type, typeOf(target), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(bytes, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(target.getParent());
            return written;
        } finally {
            Files.deleteIfExists(bytes);
            Files.deleteIfExists(type);
        }
    }

    @Override
    public Optional<StoredBlob> open(String blobId) throws IOException {
        Path file = pathOf(blobId);
        InputStream content;
        long length;
        try {
            content = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            length = Files.size(file);
        } catch (IOException e) {
            content.close();
            throw e;
        }
        String type;
        try {
            type = Files.readString(typeOf(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            type = DEFAULT_TYPE;
        }
        return Optional.of(new StoredBlob(content, length, type));
    }

    @Override
    public void delete(String blobId) throws IOException {
        Path file = pathOf(blobId);
        Files.deleteIfExists(file);
        Files.deleteIfExists(typeOf(file));
    }

    /** The directory the blobs are in. */
    public Path dir() {
        return dir;
    }

    Path pathOf(String blobId) {
        BlobIds.require(blobId);
        String fanOut = blobId.length() >= 2 ? blobId.substring(0, 2) : blobId;
        return dir.resolve(fanOut).resolve(blobId);
    }

    private static Path typeOf(Path file) {
        return file.resolveSibling(file.getFileName() + TYPE_SUFFIX);
    }

    /** Copies the content into the file and forces it to disk before the rename makes it visible. */
    private static long write(Path file, InputStream content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = Channels.newOutputStream(channel);
            long written = content.transferTo(out);
            channel.force(true);
            return written;
        }
    }

    /**
     * Forces the directory entry of a rename to disk (Linux and macOS allow opening a directory for
     * that; where a platform does not, the rename is still atomic, only less durable on power loss).
     */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debugf("cannot force directory %s: %s", directory, e.toString());
        }
    }

    private void removeLeftovers() throws IOException {
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(tmp)) {
            for (Path part : parts) {
                Files.deleteIfExists(part);
            }
        }
    }
}
