package im.router.media;

import im.common.grpc.GrpcErrors;
import im.common.service.ServiceName;
import im.common.service.ServiceTokens;
import im.protocol.client.ErrorCode;
import im.protocol.client.MediaSpaces;
import im.protocol.user.SetAvatarRequest;
import im.protocol.user.UserDirectoryGrpc;
import io.grpc.CallCredentials;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A user's avatar: the router keeps the image (the blob store is the router's), the user service
 * keeps which image the profile shows. Setting one stores the image first and names it in the
 * profile second, so a profile never names a blob that is not there; an image stored for a profile
 * that then could not be changed stays unnamed, as a failed upload's would.
 */
@ApplicationScoped
public class Avatars {

    private static final Logger LOG = Logger.getLogger(Avatars.class);
    private static final long PROFILE_WAIT_SECONDS = 10;

    /** The avatar a profile now shows; {@code thumbnailBlobId} null when the image needed none or could not be read. */
    public record Avatar(long userId, String space, String blobId, String thumbnailBlobId, String mimeType, long size,
            Integer width, Integer height) {
    }

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    private final MediaService media;
    private final CallCredentials asRouter;

    public Avatars(MediaService media, ServiceTokens tokens) {
        this.media = media;
        this.asRouter = tokens.credentials(ServiceName.ROUTER, ServiceName.USER);
    }

    /**
     * Makes the image the user's avatar. Blocking: call from a worker thread.
     *
     * @throws MediaRefusal the upload's refusals; UNKNOWN_USER when the caller has no profile;
     *     UNAVAILABLE when the user service did not answer
     */
    public Avatar set(long userId, String contentType, long contentLength, InputStream body) {
        MediaService.Uploaded image = media.uploadAvatar(userId, contentType, contentLength, body);
        String thumbnailBlobId = image.thumbnail() == null ? null : image.thumbnail().blobId();
        SetAvatarRequest.Builder request = SetAvatarRequest.newBuilder().setUserId(userId).setBlobId(image.blobId());
        if (thumbnailBlobId != null) {
            request.setThumbnailBlobId(thumbnailBlobId);
        }
        try {
            users.withCallCredentials(asRouter).withDeadlineAfter(PROFILE_WAIT_SECONDS, TimeUnit.SECONDS)
                    .setAvatar(request.build());
        } catch (StatusRuntimeException e) {
            if (GrpcErrors.codeOf(e) == ErrorCode.UNKNOWN_USER) {
                throw new MediaRefusal(MediaProblem.UNKNOWN_USER, "this account has no profile");
            }
            LOG.warnf("Avatar of user %d stored but not set (user service): %s", userId, e.getStatus());
            throw new MediaRefusal(MediaProblem.UNAVAILABLE, "the profile could not be changed; try again");
        }
        return new Avatar(userId, MediaSpaces.avatarOf(userId), image.blobId(), thumbnailBlobId, image.mimeType(),
                image.size(), image.width(), image.height());
    }
}
