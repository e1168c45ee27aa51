package im.router.media;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/**
 * {@link MediaRestTest} with the blobs in the S3 store, as a cluster's routers keep them: the
 * local S3Proxy of {@link S3BlobStoreTest}.
 */
@QuarkusTest
@TestProfile(S3MediaRestTest.S3Media.class)
class S3MediaRestTest extends MediaRestTest {

    public static class S3Media implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "im.router.media.store", "s3",
                    "im.router.media.s3.endpoint", S3BlobStoreTest.ENDPOINT,
                    "im.router.media.s3.bucket", S3BlobStoreTest.BUCKET,
                    "im.router.media.s3.access-key", S3BlobStoreTest.ACCESS_KEY,
                    "im.router.media.s3.secret-key", S3BlobStoreTest.SECRET_KEY,
                    "im.router.media.s3.create-bucket", "true");
        }

        @Override
        public String getConfigProfile() {
            return "test";
        }
    }
}
