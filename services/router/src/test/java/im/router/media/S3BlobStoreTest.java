package im.router.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.protocol.client.BlobIds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The S3 store against a real S3 API: the S3Proxy that scripts/s3proxy/proxy.sh runs on this
 * machine (./im test starts it; by hand: scripts/infra.sh s3proxy), which checks V4 signatures as S3 does.
 */
class S3BlobStoreTest {

    /** scripts/s3proxy/proxy.sh's port and its fixed, public test credentials. */
    static final String ENDPOINT = "http://127.0.0.1:9400";
    static final String ACCESS_KEY = "im-local";
    static final String SECRET_KEY = "im-local-secret-key";
    static final String BUCKET = "im-router-test";

    private static S3BlobStore store;

    @BeforeAll
    static void open() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 9400), 2000);
        } catch (IOException e) {
            throw new IllegalStateException("S3Proxy is not running on 127.0.0.1:9400: scripts/infra.sh s3proxy starts it", e);
        }
        store = S3BlobStore.open(config(ACCESS_KEY, SECRET_KEY, BUCKET), Optional.empty());
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void putBlob_opensWithItsBytesLengthAndType() throws IOException {
        byte[] bytes = LocalBlobStoreTest.randomBytes(3 * 1024 * 1024 + 17);
        String id = BlobIds.next();

        assertEquals(bytes.length, store.put(id, new ByteArrayInputStream(bytes), bytes.length, "image/png"));

        try (BlobStore.StoredBlob blob = store.open(id).orElseThrow()) {
            assertArrayEquals(bytes, blob.content().readAllBytes());
            assertEquals(bytes.length, blob.length());
            assertEquals("image/png", blob.contentType());
        }
        store.delete(id);
    }

    @Test
    void putOfUnknownLength_storesWhatArrived() throws IOException {
        byte[] bytes = LocalBlobStoreTest.randomBytes(200_000);
        String id = BlobIds.next();

        assertEquals(bytes.length, store.put(id, new ByteArrayInputStream(bytes), -1, "application/zip"));

        try (BlobStore.StoredBlob blob = store.open(id).orElseThrow()) {
            assertArrayEquals(bytes, blob.content().readAllBytes());
        }
        store.delete(id);
    }

    @Test
    void putCutShort_leavesNoObject() {
        String id = BlobIds.next();

        assertThrows(IOException.class, () -> store.put(id, LocalBlobStoreTest.failingAfter(300_000), 1_000_000, "text/plain"));

        assertDoesNotExist(id);
    }

    @Test
    void unknownId_opensEmpty_andDeleteRemovesABlob() throws IOException {
        String id = BlobIds.next();
        assertDoesNotExist(id);

        store.put(id, new byte[] {1, 2, 3}, "application/octet-stream");
        store.delete(id);

        assertDoesNotExist(id);
    }

    @Test
    void wrongSecretKey_failsTheStartNotTheFirstUpload() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> S3BlobStore.open(config(ACCESS_KEY, "not-the-secret", BUCKET), Optional.empty()));

        assertTrue(refused.getMessage().contains(BUCKET), refused.getMessage());
    }

    @Test
    void missingBucket_failsTheStartUnlessItMayBeCreated() {
        assertThrows(IllegalStateException.class, () -> S3BlobStore.open(
                config(ACCESS_KEY, SECRET_KEY, "im-router-test-" + BlobIds.next().toLowerCase().replaceAll("[^a-z0-9]", ""), false),
                Optional.empty()));
    }

    private static void assertDoesNotExist(String id) {
        try {
            assertTrue(store.open(id).isEmpty());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static MediaConfig.S3 config(String accessKey, String secretKey, String bucket) {
        return config(accessKey, secretKey, bucket, true);
    }

    static MediaConfig.S3 config(String accessKey, String secretKey, String bucket, boolean createBucket) {
        return new MediaConfig.S3() {
            @Override
            public Optional<String> endpoint() {
                return Optional.of(ENDPOINT);
            }

            @Override
            public String region() {
                return "us-east-1";
            }

            @Override
            public Optional<String> bucket() {
                return Optional.of(bucket);
            }

            @Override
            public Optional<String> accessKey() {
                return Optional.of(accessKey);
            }

            @Override
            public Optional<String> secretKey() {
                return Optional.of(secretKey);
            }

            @Override
            public String prefix() {
                return "blobs/";
            }

            @Override
            public boolean createBucket() {
                return createBucket;
            }

            @Override
            public Duration timeout() {
                return Duration.ofSeconds(10);
            }
        };
    }
}
