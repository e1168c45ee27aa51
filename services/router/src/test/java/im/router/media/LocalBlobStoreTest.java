package im.router.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.protocol.client.BlobIds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBlobStoreTest {

    @TempDir
    Path dir;

    @Test
    void putBlob_opensWithItsBytesLengthAndType() throws IOException {
        LocalBlobStore store = new LocalBlobStore(dir);
        byte[] bytes = randomBytes(300_000);
        String id = BlobIds.next();

        assertEquals(bytes.length, store.put(id, new ByteArrayInputStream(bytes), bytes.length, "application/pdf"));

        try (BlobStore.StoredBlob blob = store.open(id).orElseThrow()) {
            assertArrayEquals(bytes, blob.content().readAllBytes());
            assertEquals(bytes.length, blob.length());
            assertEquals("application/pdf", blob.contentType());
        }
    }

    @Test
    void putOfUnknownLength_storesWhatArrived() throws IOException {
        LocalBlobStore store = new LocalBlobStore(dir);
        byte[] bytes = randomBytes(70_000);
        String id = BlobIds.next();

        assertEquals(bytes.length, store.put(id, new ByteArrayInputStream(bytes), -1, "text/plain"));

        try (BlobStore.StoredBlob blob = store.open(id).orElseThrow()) {
            assertArrayEquals(bytes, blob.content().readAllBytes());
        }
    }

    @Test
    void putCutShort_leavesNothingUnderTheIdAndNothingBehind() throws IOException {
        LocalBlobStore store = new LocalBlobStore(dir);
        String id = BlobIds.next();

        assertThrows(IOException.class, () -> store.put(id, failingAfter(50_000), 100_000, "application/zip"));

        assertTrue(store.open(id).isEmpty());
        assertEquals(0, filesUnder(dir.resolve(".tmp")));
    }

    @Test
    void putShorterThanItsLength_isRefusedAndLeavesNothing() throws IOException {
        LocalBlobStore store = new LocalBlobStore(dir);
        String id = BlobIds.next();

        assertThrows(IOException.class, () -> store.put(id, new ByteArrayInputStream(new byte[10]), 11, "text/plain"));

        assertTrue(store.open(id).isEmpty());
    }

    @Test
    void unknownId_opensEmpty_andDeleteRemovesABlob() throws IOException {
        LocalBlobStore store = new LocalBlobStore(dir);
        String id = BlobIds.next();
        assertEquals(Optional.empty(), store.open(id));

        store.put(id, new byte[] {1, 2, 3}, "application/octet-stream");
        store.delete(id);

        assertTrue(store.open(id).isEmpty());
        store.delete(id);
    }

    @Test
    void partsLeftByACrash_areRemovedAtTheNextStart() throws IOException {
        new LocalBlobStore(dir);
        Files.write(dir.resolve(".tmp").resolve("abc.part"), new byte[] {1});

        new LocalBlobStore(dir);

        assertEquals(0, filesUnder(dir.resolve(".tmp")));
    }

    @Test
    void idsThatAreNoPlainFileName_areRefused() throws IOException {
        LocalBlobStore store = new LocalBlobStore(dir);

        for (String id : new String[] {"..", "../etc", "a/b", "a.type", ""}) {
            assertThrows(IllegalArgumentException.class, () -> store.open(id), id);
        }
    }

    static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    /** A stream that fails after {@code n} bytes, as a client's upload does when its connection drops. */
    static InputStream failingAfter(int n) {
        return new InputStream() {
            private int read;

            @Override
            public int read() throws IOException {
                if (read++ >= n) {
                    throw new IOException("connection reset");
                }
                return 7;
            }
        };
    }

    private static long filesUnder(Path path) throws IOException {
        try (Stream<Path> files = Files.list(path)) {
            return files.count();
        }
    }
}
