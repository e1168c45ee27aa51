package im.router.media;

import im.common.access.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Attachments over REST: {@code POST /media/{conversationId}} takes a file's bytes as the body
 * (its Content-Type the file's; {@code ?name=} its name) and answers its blob id, and for an image
 * its size and thumbnail; {@code GET /media/{space}/{blobId}} answers the bytes, where the space
 * is a conversation or a user's avatar space ({@code PUT /media/avatar}). The
 * methods return plain values, so Quarkus REST runs them on worker threads, and it hands a large
 * body over as a stream read as it arrives: an upload is never held in memory whole.
 */
@Path("/media")
public class MediaResource {

    private final MediaService media;
    private final Avatars avatars;
    private final MediaConfig config;
    private final JsonWebToken caller;

    public MediaResource(MediaService media, Avatars avatars, MediaConfig config, JsonWebToken caller) {
        this.media = media;
        this.avatars = avatars;
        this.config = config;
        this.caller = caller;
    }

    /**
     * Makes the body (a PNG, JPEG or GIF image, Content-Type its type) the caller's avatar, in
     * place of any earlier one; answers where anyone signed in reads it:
     * {@code GET /media/{space}/{blobId}} and its thumbnail's id. Changing one's profile is
     * gated, as the display name is, by reading profiles.
     */
    @PUT
    @Path("/avatar")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.PROFILE_READ)
    public Avatars.Avatar setAvatar(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, InputStream body) {
        return avatars.set(userId(), contentType, length(contentLength), body);
    }

    @POST
    @Path("/{conversationId}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.MESSAGE_SEND)
    public Response upload(@PathParam("conversationId") String conversationId, @QueryParam("name") String name,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, InputStream body) {
        MediaService.Uploaded uploaded = media.upload(new MediaService.Upload(userId(), conversationId, contentType,
                length(contentLength), name, body));
        return Response.status(Response.Status.CREATED).entity(uploaded).build();
    }

    @GET
    @Path("/{space}/{blobId}")
    @PermissionsAllowed(Permissions.MESSAGE_READ)
    public Response download(@PathParam("space") String space, @PathParam("blobId") String blobId) {
        MediaService.Download download = media.download(userId(), space, blobId);
        StreamingOutput bytes = out -> {
            try (download) {
                download.blob().content().transferTo(out);
            }
        };
        Response.ResponseBuilder answer = Response.ok(bytes, download.mimeType())
                .header(HttpHeaders.CONTENT_LENGTH, download.blob().length())
                // Blobs never change under their id; private: no shared cache keeps a member's copy.
                .header(HttpHeaders.CACHE_CONTROL, "private, max-age=" + config.cacheMaxAge().toSeconds())
                // The stored type is the only type: a browser must not guess HTML into a text file.
                .header("X-Content-Type-Options", "nosniff");
        if (!download.mimeType().startsWith("image/")) {
            answer.header("Content-Disposition", "attachment");
        }
        return answer.build();
    }

    private long userId() {
        try {
            return Long.parseLong(caller.getSubject());
        } catch (NumberFormatException | NullPointerException e) {
            throw new UnauthorizedException("access token has no user id");
        }
    }

    private static long length(String contentLength) {
        if (contentLength == null || contentLength.isBlank()) {
            return -1;
        }
        try {
            long length = Long.parseLong(contentLength.trim());
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new MediaRefusal(MediaProblem.INVALID_ARGUMENT, "Content-Length must be a number of bytes");
    }
}
