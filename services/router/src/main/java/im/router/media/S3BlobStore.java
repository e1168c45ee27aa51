package im.router.media;

import im.protocol.client.BlobIds;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Blobs as objects of one bucket of an S3-compatible store, under {@code <prefix><id>}: what the
 * routers of a cluster share, so any router serves any blob. The AWS SDK signs the calls; path-style
 * addressing ({@code endpoint/bucket/key}), which every S3-compatible store takes, while
 * virtual-host addressing needs DNS per bucket.
 *
 * <p>S3 stores an object whole or not at all, so a put cut short leaves nothing. A put from a stream
 * is written to a temporary file first: the SDK reads a body twice (once to sign it, over plain
 * HTTP; again to retry), which a file allows and a request's stream does not, and S3 wants the
 * length before the bytes.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(S3BlobStore.class);

    private final S3Client client;
    private final String bucket;
    private final String prefix;
    private final Optional<Path> spoolDir;

    S3BlobStore(S3Client client, String bucket, String prefix, Optional<Path> spoolDir) {
        this.client = client;
        this.bucket = bucket;
        this.prefix = prefix;
        this.spoolDir = spoolDir;
    }

    /**
     * A store for the configuration; checks at once that the bucket is there (creating it when
     * {@code create-bucket} says so), so a wrong endpoint, key or bucket fails the start, not the
     * first upload.
     *
     * @throws IllegalStateException when the configuration is incomplete or the bucket cannot be reached
     */
    public static S3BlobStore open(MediaConfig.S3 config, Optional<Path> spoolDir) {
        String bucket = config.bucket().filter(name -> !name.isBlank()).orElseThrow(() ->
                new IllegalStateException("im.router.media.store=s3 needs im.router.media.s3.bucket (IM_MEDIA_S3_BUCKET)"));
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials(config))
                .forcePathStyle(true)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(config.timeout())
                        .socketTimeout(config.timeout()))
                // Checksums only where S3 requires them: the SDK's default (a CRC trailer on every
                // put, checked on every get) is not understood by every S3-compatible store.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        config.endpoint().filter(url -> !url.isBlank()).ifPresent(url -> builder.endpointOverride(URI.create(url)));
        S3Client client = builder.build();
        try {
            ensureBucket(client, bucket, config.createBucket());
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return new S3BlobStore(client, bucket, config.prefix(), spoolDir);
    }

    /** Static keys when both are configured; otherwise the SDK's chain (environment, IRSA, instance profile). */
    private static AwsCredentialsProvider credentials(MediaConfig.S3 config) {
        Optional<String> accessKey = config.accessKey().filter(key -> !key.isBlank());
        Optional<String> secretKey = config.secretKey().filter(key -> !key.isBlank());
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new IllegalStateException("set both im.router.media.s3.access-key and secret-key "
                    + "(IM_MEDIA_S3_ACCESS_KEY, IM_MEDIA_S3_SECRET_KEY), or neither");
        }
        return accessKey.isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey.get(), secretKey.get()))
                : DefaultCredentialsProvider.builder().build();
    }

    private static void ensureBucket(S3Client client, String bucket, boolean create) {
        try {
            client.headBucket(request -> request.bucket(bucket));
        } catch (NoSuchBucketException e) {
            if (!create) {
                throw new IllegalStateException("the media bucket " + bucket + " does not exist", e);
            }
            LOG.infof("Creating the media bucket %s", bucket);
            try {
                client.createBucket(request -> request.bucket(bucket));
            } catch (BucketAlreadyOwnedByYouException createdMeanwhile) {
                // Routers of a cluster start together: another one created it between our two calls.
                LOG.debugf("The media bucket %s was created meanwhile", bucket);
            }
        } catch (SdkException e) {
            throw new IllegalStateException("the media bucket " + bucket + " cannot be reached: " + e.getMessage(), e);
        }
    }

    @Override
    public long put(String blobId, InputStream content, long length, String contentType) throws IOException {
        Path file = spoolDir.isPresent() ? Files.createTempFile(spoolDir.get(), "blob-", ".part")
                : Files.createTempFile("blob-", ".part");
        try {
            long copied = Files.copy(content, file, StandardCopyOption.REPLACE_EXISTING);
            if (length >= 0 && copied != length) {
                throw new IOException("blob " + blobId + ": " + copied + " bytes arrived of " + length);
            }
            return put(blobId, file, contentType);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Override
    public long put(String blobId, Path file, String contentType) throws IOException {
        long length = Files.size(file);
        return put(blobId, RequestBody.fromFile(file), length, contentType);
    }

    @Override
    public long put(String blobId, byte[] content, String contentType) throws IOException {
        return put(blobId, RequestBody.fromBytes(content), content.length, contentType);
    }

    private long put(String blobId, RequestBody body, long length, String contentType) throws IOException {
        String key = key(blobId);
        try {
            client.putObject(request -> request.bucket(bucket).key(key).contentType(contentType).contentLength(length), body);
            return length;
        } catch (SdkException e) {
            throw new IOException("storing blob " + blobId + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<StoredBlob> open(String blobId) throws IOException {
        try {
            ResponseInputStream<GetObjectResponse> object = client.getObject(request -> request.bucket(bucket).key(key(blobId)));
            GetObjectResponse response = object.response();
            return Optional.of(new StoredBlob(object, response.contentLength(), response.contentType()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new IOException("reading blob " + blobId + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String blobId) throws IOException {
        try {
            client.deleteObject(request -> request.bucket(bucket).key(key(blobId)));
        } catch (SdkException e) {
            throw new IOException("deleting blob " + blobId + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private String key(String blobId) {
        return prefix + BlobIds.require(blobId);
    }
}
