package im.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Makes the service under test trust {@link TestTokens} (and nothing else): their JWKS is written
 * to a file the service loads as its verification key set, as it would load auth's over HTTP.
 */
public class TestTokensResource implements QuarkusTestResourceLifecycleManager {

    private Path jwks;

    @Override
    public Map<String, String> start() {
        try {
            jwks = Files.createTempFile("im-test-jwks", ".json");
            Files.writeString(jwks, TestTokens.jwks());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "mp.jwt.verify.publickey.location", jwks.toUri().toString(),
                "mp.jwt.verify.issuer", TestTokens.ISSUER,
                "mp.jwt.verify.publickey.algorithm", "eddsa");
    }

    @Override
    public void stop() {
        try {
            if (jwks != null) {
                Files.deleteIfExists(jwks);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
