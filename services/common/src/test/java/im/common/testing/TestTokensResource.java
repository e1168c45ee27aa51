package im.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Makes the service under test trust {@link TestTokens} (and nothing else). */
public class TestTokensResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "mp.jwt.verify.publickey", TestTokens.jwks(),
                "mp.jwt.verify.publickey.location", "",
                "mp.jwt.verify.issuer", TestTokens.ISSUER,
                "mp.jwt.verify.publickey.algorithm", "EdDSA");
    }

    @Override
    public void stop() {
    }
}
