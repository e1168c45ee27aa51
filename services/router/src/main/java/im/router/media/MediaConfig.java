package im.router.media;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Attachments: where blobs are kept, and what an upload may be (docs/conversations.md, "Attachments"). */
@ConfigMapping(prefix = "im.router.media")
public interface MediaConfig {

    /** Which {@link BlobStore} holds the blobs. */
    enum Store {
        /** Files in {@link #dir()}: one node (the standalone app); routers of a cluster would not see each other's. */
        LOCAL,
        /** An S3-compatible object store ({@link #s3()}): what a cluster's routers share. */
        S3
    }

    /** Local by default: a router run on its own needs nothing else; a cluster sets s3. */
    @WithDefault("local")
    Store store();

    /** The local store's directory; relative paths are taken from the working directory. */
    @WithDefault("data/media")
    Path dir();

    /**
     * Largest blob in bytes: 20 MiB holds a phone's photo or a short document; a larger file is a
     * job for a file-sharing service, not a chat message. {@code quarkus.http.limits.max-body-size}
     * must stay above it, or the HTTP layer refuses first without a problem body.
     */
    @WithDefault("20971520")
    long maxBytes();

    /**
     * Largest avatar in bytes: a profile picture is shown small, and every signed-in user may
     * fetch it, so it is held well below an attachment's limit.
     */
    @WithDefault("5242880")
    long avatarMaxBytes();

    /**
     * Content types an upload may have (without parameters). Images a browser shows, documents it
     * downloads; never text/html or image/svg+xml, which a browser would run as a page of ours.
     */
    @WithDefault("image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,application/zip,application/octet-stream")
    List<String> types();

    /**
     * How long a device may keep a downloaded blob without asking again. Blobs never change under
     * their id, so a day only bounds how long a copy outlives a member's leaving.
     */
    @WithDefault("P1D")
    Duration cacheMaxAge();

    /** Where uploads wait while an image is read for its thumbnail (the JVM's temp directory when unset). */
    Optional<Path> spoolDir();

    Thumbnails thumbnails();

    S3 s3();

    interface Thumbnails {

        /** The box a thumbnail fits in, keeping its aspect: a chat bubble's width on a phone. */
        @WithDefault("320")
        int size();

        /**
         * Images whose header claims more pixels are refused before any is decoded: 40 megapixels
         * is beyond any phone camera's photo, and a small file claiming more is a decompression bomb.
         */
        @WithDefault("40000000")
        long maxPixels();

        /** Images decoded at once; a decode holds a subsampled copy, a few MB, and a core. */
        @WithDefault("2")
        int concurrency();
    }

    /** The S3 store. Credentials from the environment (IM_MEDIA_S3_ACCESS_KEY, _SECRET_KEY), never from git. */
    interface S3 {

        /** An S3-compatible service's URL (MinIO, S3Proxy, Ceph); unset: AWS S3 itself, by region. */
        Optional<String> endpoint();

        @WithDefault("us-east-1")
        String region();

        Optional<String> bucket();

        Optional<String> accessKey();

        Optional<String> secretKey();

        /** Keys of blobs in the bucket start with this, so one bucket can serve several deployments. */
        @WithDefault("blobs/")
        String prefix();

        /**
         * Creates the bucket at start when it is missing: for a local S3Proxy. Off by default, as
         * a deployment's bucket (its region, its lifecycle, its access policy) is the operator's.
         */
        @WithDefault("false")
        boolean createBucket();

        /** Connect and read timeout of each call to the store. */
        @WithDefault("PT30S")
        Duration timeout();
    }
}
