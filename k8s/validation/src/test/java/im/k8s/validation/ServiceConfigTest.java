package im.k8s.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {

    @Test
    void anEnvironmentVariableWinsOverThePlaceholderDefault() {
        ServiceConfig config = ServiceConfig.of("s", Map.of("quarkus.datasource.jdbc.url", "${IM_DB_URL:jdbc:mysql://mysql:3306/a}"));

        assertEquals(Optional.of("jdbc:mysql://mysql:3306/a"), config.value("quarkus.datasource.jdbc.url", Map.of()));
        assertEquals(Optional.of("jdbc:mysql://db:3306/a"),
                config.value("quarkus.datasource.jdbc.url", Map.of("IM_DB_URL", "jdbc:mysql://db:3306/a")));
    }

    @Test
    void aPropertyIsReadFromItsEnvironmentForm() {
        ServiceConfig config = ServiceConfig.of("s", Map.of("quarkus.datasource.router.jdbc.url", "jdbc:mysql://a/b"));

        assertEquals(Optional.of("jdbc:mysql://c/d"), config.value("quarkus.datasource.router.jdbc.url",
                Map.of("QUARKUS_DATASOURCE_ROUTER_JDBC_URL", "jdbc:mysql://c/d")));
        assertEquals(Set.of("QUARKUS_DATASOURCE_ROUTER_JDBC_URL"), config.environmentNames());
    }

    @Test
    void aPlaceholderNamingAPropertyIsReadFromItsEnvironmentForm() {
        ServiceConfig config = ServiceConfig.of("s", Map.of("mp.jwt.verify.publickey.location",
                "${im.auth.jwks-url:http://auth:8080/auth/jwks}"));

        assertEquals(Optional.of("http://auth.im:8080/auth/jwks"), config.value("mp.jwt.verify.publickey.location",
                Map.of("IM_AUTH_JWKS_URL", "http://auth.im:8080/auth/jwks")));
        assertEquals(Set.of("IM_AUTH_JWKS_URL", "MP_JWT_VERIFY_PUBLICKEY_LOCATION"), config.environmentNames());
    }

    @Test
    void onlyTheProductionProfileOfAServiceIsRead() {
        ServiceConfig router = ServiceConfig.load(Overlays.ROOT, "router");

        assertTrue(router.environmentNames().contains("IM_DB_URL"));
        assertTrue(router.environmentNames().contains("IM_AUTH_JWKS_URL"), "from im-common's defaults");
        assertFalse(router.environmentNames().stream().anyMatch(name -> name.startsWith("_TEST")));
        assertEquals(Optional.of("redis://redis:6379"), router.value("quarkus.redis.hosts", Map.of()));
    }
}
