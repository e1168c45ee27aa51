package im.common.service;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Mints the tokens a service presents when it calls another on its own behalf (not for a user):
 * a JWT signed with the deployment's {@link ServiceKey}, naming the caller ({@code sub}) and the
 * one service it is for ({@code aud}). A token is minted once and reused until a fifth of its
 * life is left, so a call costs a map lookup, not a signature.
 */
@Singleton
public class ServiceTokens {

    /** The metadata entry a service token travels in, apart from a user's {@code authorization}. */
    public static final Metadata.Key<String> HEADER = Metadata.Key.of("im-service-token", Metadata.ASCII_STRING_MARSHALLER);
    static final String ISSUER = "im-services";

    private final ServiceKey key;
    private final Duration ttl;
    private final Clock clock;
    private final Map<Route, Minted> minted = new ConcurrentHashMap<>();

    @Inject
    public ServiceTokens(ServiceKey key, ServiceIdentityConfig config) {
        this(key, config.tokenTtl(), Clock.systemUTC());
    }

    public ServiceTokens(ServiceKey key, Duration ttl, Clock clock) {
        this.key = key;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Credentials for calls {@code caller} makes to {@code callee}: {@code stub.withCallCredentials(...)}. */
    public CallCredentials credentials(ServiceName caller, ServiceName callee) {
        Route route = new Route(caller, callee);
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                try {
                    Metadata headers = new Metadata();
                    headers.put(HEADER, token(route));
                    applier.apply(headers);
                } catch (RuntimeException e) {
                    applier.fail(Status.UNAUTHENTICATED.withDescription("no service token: " + e.getMessage()).withCause(e));
                }
            }
        };
    }

    /** A token for the route, minted now or earlier and still good for a fifth of its life. */
    public String token(ServiceName caller, ServiceName callee) {
        return token(new Route(caller, callee));
    }

    private String token(Route route) {
        Instant now = clock.instant();
        Minted current = minted.get(route);
        if (current == null || !now.isBefore(current.renewAt())) {
            current = mint(route, now);
            minted.put(route, current);
        }
        return current.token();
    }

    private Minted mint(Route route, Instant now) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setSubject(route.caller().id());
        claims.setAudience(route.callee().id());
        claims.setIssuedAt(NumericDate.fromMilliseconds(now.toEpochMilli()));
        claims.setExpirationTime(NumericDate.fromMilliseconds(now.plus(ttl).toEpochMilli()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKey(key.secretKey());
        try {
            return new Minted(jws.getCompactSerialization(), now.plus(ttl.multipliedBy(4).dividedBy(5)));
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a service token", e);
        }
    }

    private record Route(ServiceName caller, ServiceName callee) {
    }

    private record Minted(String token, Instant renewAt) {
    }
}
