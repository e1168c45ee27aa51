package im.common.token;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.concurrent.Executor;

/**
 * How a user's access token travels between services: the {@code authorization} metadata entry,
 * {@code Bearer <jwt>}, exactly as on HTTP.
 */
public final class GrpcAccessTokens {

    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";

    private GrpcAccessTokens() {
    }

    /** Credentials that put {@code token} on a call: {@code stub.withCallCredentials(bearer(token))}. */
    public static CallCredentials bearer(String token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(AUTHORIZATION, BEARER + token);
                applier.apply(headers);
            }
        };
    }

    /** The raw token of a call's metadata, or null when there is none. */
    public static String tokenOf(Metadata headers) {
        String value = headers.get(AUTHORIZATION);
        if (value == null || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return value.substring(BEARER.length()).trim();
    }
}
