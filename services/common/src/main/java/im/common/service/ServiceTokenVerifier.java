package im.common.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * Checks a service token: signed with this deployment's key, not expired, minted for the service
 * being called. A token that verified is remembered until it expires (a caller sends the same one
 * for minutes), so the check is cheap enough for the gRPC event loop.
 */
@Singleton
public class ServiceTokenVerifier {

    private static final int CLOCK_SKEW_SECONDS = 5;

    private final ServiceKey key;
    private final Clock clock;
    private final Cache<Presented, Verified> verified;

    @Inject
    public ServiceTokenVerifier(ServiceKey key) {
        this(key, Clock.systemUTC());
    }

    public ServiceTokenVerifier(ServiceKey key, Clock clock) {
        this.key = key;
        this.clock = clock;
        // A handful of services each present one token per callee at a time: a small bound.
        this.verified = Caffeine.newBuilder()
                .maximumSize(1_000)
                .expireAfter(Expiry.creating((Presented token, Verified caller) ->
                        Duration.between(clock.instant(), caller.expiry())))
                .build();
    }

    /**
     * The service that minted {@code token} for {@code callee}.
     *
     * @throws ServiceTokenRejectedException when there is no token, or it is forged, expired,
     *     for another service, or names no known caller
     */
    public ServiceName callerOf(String token, ServiceName callee) throws ServiceTokenRejectedException {
        if (token == null || token.isBlank()) {
            throw new ServiceTokenRejectedException("this method is for services: the call carries no service token");
        }
        Presented presented = new Presented(token, callee);
        Verified remembered = verified.getIfPresent(presented);
        if (remembered != null && clock.instant().isBefore(remembered.expiry())) {
            return remembered.caller();
        }
        JwtClaims claims;
        try {
            claims = consumer(callee).processToClaims(token);
        } catch (InvalidJwtException e) {
            throw new ServiceTokenRejectedException("service token refused: " + reason(e));
        }
        try {
            ServiceName caller = ServiceName.ofId(claims.getSubject());
            if (caller == null) {
                throw new ServiceTokenRejectedException("service token refused: it names no known service");
            }
            verified.put(presented, new Verified(caller, Instant.ofEpochMilli(claims.getExpirationTime().getValueInMillis())));
            return caller;
        } catch (MalformedClaimException e) {
            throw new ServiceTokenRejectedException("service token refused: " + e.getMessage());
        }
    }

    private JwtConsumer consumer(ServiceName callee) {
        return new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                .setExpectedIssuer(ServiceTokens.ISSUER)
                .setExpectedAudience(callee.id())
                .setVerificationKey(key.secretKey())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.HMAC_SHA256)
                .build();
    }

    private static String reason(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "expired";
        }
        return e.getErrorDetails().isEmpty() ? "not a valid token" : e.getErrorDetails().get(0).getErrorMessage();
    }

    private record Presented(String token, ServiceName callee) {
    }

    private record Verified(ServiceName caller, Instant expiry) {
    }
}
