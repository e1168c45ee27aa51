package im.router.media;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jboss.logging.Logger;

/** Makes the {@link BlobStore} that {@code im.router.media.store} names, at start. */
@ApplicationScoped
public class BlobStores {

    private static final Logger LOG = Logger.getLogger(BlobStores.class);

    @Produces
    @Singleton
    BlobStore blobStore(MediaConfig config) {
        return switch (config.store()) {
            case LOCAL -> {
                try {
                    LocalBlobStore store = new LocalBlobStore(config.dir());
                    LOG.infof("Attachments in %s", store.dir());
                    yield store;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot use the media directory " + config.dir(), e);
                }
            }
            case S3 -> {
                S3BlobStore store = S3BlobStore.open(config.s3(), config.spoolDir());
                LOG.infof("Attachments in the S3 bucket %s", config.s3().bucket().orElse(""));
                yield store;
            }
        };
    }

    /** The store is made at start: a directory that cannot be written or a bucket not reached fails the boot. */
    void start(@Observes StartupEvent event, BlobStore store) {
        LOG.debugf("Blob store ready: %s", store.getClass().getSimpleName());
    }

    void close(@Disposes BlobStore store) {
        if (store instanceof S3BlobStore s3) {
            s3.close();
        }
    }
}
