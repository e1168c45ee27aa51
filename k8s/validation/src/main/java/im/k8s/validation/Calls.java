package im.k8s.validation;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The connections a service opens, derived from the keys of its configuration that name a host,
 * each resolved for the pod's environment. The ports that the files leave to a default take the
 * default of the code that reads them.
 */
public final class Calls {

    private static final Pattern GRPC_CLIENT_HOST = Pattern.compile("quarkus\\.grpc\\.clients\\.([^.]+)\\.host");
    private static final Pattern JDBC_URL = Pattern.compile("quarkus\\.datasource\\.(?:([^.]+)\\.)?jdbc\\.url");
    /** jdbc:mysql://host[:port][,host[:port]...]/database?... (MySQL Connector/J's forms used here). */
    private static final Pattern MYSQL_URL = Pattern.compile("jdbc:(?:mysql|mariadb)://([^/?]+).*");

    /** Quarkus gRPC clients' default port, and RouterRingConfig.port()'s. */
    private static final int GRPC_PORT = 9000;
    private static final int MYSQL_PORT = 3306;
    private static final int REDIS_PORT = 6379;
    /** RabbitConfig.port()'s default. */
    private static final int AMQP_PORT = 5672;

    private Calls() {
    }

    public static List<Call> of(ServiceConfig config, ServiceSources sources, Map<String, String> environment) {
        String from = config.service();
        List<Call> calls = new ArrayList<>();
        for (String key : config.keys().stream().sorted().toList()) {
            Matcher grpc = GRPC_CLIENT_HOST.matcher(key);
            if (grpc.matches()) {
                String client = "quarkus.grpc.clients." + grpc.group(1);
                boolean inProcess = config.value(client + ".in-process.enabled", environment)
                        .map(Boolean::parseBoolean).orElse(false);
                // round_robin resolves every A record of the name and spreads calls over them
                boolean balanced = config.value(client + ".load-balancing-policy", environment)
                        .map("round_robin"::equals).orElse(false);
                if (!inProcess) {
                    config.value(key, environment).ifPresent(host -> calls.add(new Call(from, key, host,
                            config.intValue(client + ".port", environment, GRPC_PORT), balanced)));
                }
            }
            Matcher jdbc = JDBC_URL.matcher(key);
            if (jdbc.matches()) {
                config.value(key, environment).ifPresent(url -> calls.addAll(database(from, key, url)));
            }
        }
        // push: every router, from the A records of one name, unless a fixed list is configured.
        if (config.defines("im.push.router.host")) {
            Optional<String> addresses = config.value("im.push.router.addresses", environment);
            if (addresses.isPresent() && !addresses.get().isBlank()) {
                for (String address : addresses.get().split(",")) {
                    calls.add(hostAndPort(from, "im.push.router.addresses", address.trim(), GRPC_PORT, false));
                }
            } else {
                config.value("im.push.router.host", environment).ifPresent(host -> calls.add(new Call(from,
                        "im.push.router.host", host, config.intValue("im.push.router.port", environment, GRPC_PORT), true)));
            }
        }
        config.value("quarkus.redis.hosts", environment).ifPresent(hosts -> {
            for (String uri : hosts.split(",")) {
                URI redis = URI.create(uri.trim());
                calls.add(new Call(from, "quarkus.redis.hosts", redis.getHost(),
                        redis.getPort() < 0 ? REDIS_PORT : redis.getPort(), false));
            }
        });
        config.value("kafka.bootstrap.servers", environment).ifPresent(servers -> {
            for (String server : servers.split(",")) {
                calls.add(hostAndPort(from, "kafka.bootstrap.servers", server.trim(), -1, false));
            }
        });
        if (config.defines("im.rabbitmq.host")) {
            config.value("im.rabbitmq.host", environment).ifPresent(host -> calls.add(new Call(from,
                    "im.rabbitmq.host", host, config.intValue("im.rabbitmq.port", environment, AMQP_PORT), false)));
        }
        // router: the S3-compatible store its attachments are kept in (AWS S3 itself without an endpoint)
        if (config.value("im.router.media.store", environment).map("s3"::equalsIgnoreCase).orElse(false)) {
            String endpoint = config.value("im.router.media.s3.endpoint", environment).filter(url -> !url.isBlank())
                    .orElseGet(() -> "https://s3." + config.value("im.router.media.s3.region", environment)
                            .orElse("us-east-1") + ".amazonaws.com");
            URI store = URI.create(endpoint.trim());
            int port = store.getPort() >= 0 ? store.getPort() : "https".equals(store.getScheme()) ? 443 : 80;
            calls.add(new Call(from, "im.router.media.s3.endpoint", store.getHost(), port, false));
        }
        if (sources.verifiesTokens()) {
            config.value("mp.jwt.verify.publickey.location", environment).ifPresent(location -> {
                URI jwks = URI.create(location.trim());
                if (jwks.getHost() != null) {
                    int port = jwks.getPort() >= 0 ? jwks.getPort() : "https".equals(jwks.getScheme()) ? 443 : 80;
                    calls.add(new Call(from, "mp.jwt.verify.publickey.location", jwks.getHost(), port, false));
                }
            });
        }
        return calls;
    }

    private static List<Call> database(String from, String key, String url) {
        Matcher mysql = MYSQL_URL.matcher(url.trim());
        if (!mysql.matches()) {
            return List.of(); // an embedded database (H2, SQLite): no connection
        }
        List<Call> calls = new ArrayList<>();
        for (String host : mysql.group(1).split(",")) {
            calls.add(hostAndPort(from, key, host.trim(), MYSQL_PORT, false));
        }
        return calls;
    }

    private static Call hostAndPort(String from, String key, String address, int defaultPort, boolean everyAddress) {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            if (defaultPort < 0) {
                throw new IllegalArgumentException(from + ": " + key + " needs host:port, got " + address);
            }
            return new Call(from, key, address, defaultPort, everyAddress);
        }
        return new Call(from, key, address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)), everyAddress);
    }
}
