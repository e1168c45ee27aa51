package im.k8s.validation;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration one service reads in a cluster, from its own files: its
 * {@code application.properties} over the defaults of {@code im-common}'s
 * {@code META-INF/microprofile-config.properties}, in the production profile ({@code %test.} and
 * {@code %dev.} keys left out, {@code %prod.} keys winning). Resolves a key as MicroProfile Config
 * does for a pod: environment variables first (exact name, then the env form), then the files,
 * expanding {@code ${name:default}} expressions.
 */
public final class ServiceConfig {

    /** {@code ${name}} or {@code ${name:default}}; the default runs to the matching brace. */
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^:}]+)(?::([^}]*))?}");

    /** Expressions nest a few levels at most here; deeper means a reference cycle. */
    private static final int MAX_DEPTH = 8;

    private final String service;
    private final Map<String, String> properties;
    private final Set<String> expressionNames;

    private ServiceConfig(String service, Map<String, String> properties, Set<String> expressionNames) {
        this.service = service;
        this.properties = properties;
        this.expressionNames = expressionNames;
    }

    /** Reads {@code services/<service>/src/main/resources/application.properties} and the common defaults. */
    public static ServiceConfig load(Path repositoryRoot, String service) {
        List<Path> files = List.of(
                repositoryRoot.resolve("services/common/src/main/resources/META-INF/microprofile-config.properties"),
                repositoryRoot.resolve("services/" + service + "/src/main/resources/application.properties"));
        Map<String, String> merged = new LinkedHashMap<>();
        Map<String, String> prodOverrides = new LinkedHashMap<>();
        for (Path file : files) {
            Properties properties = read(file);
            for (String key : properties.stringPropertyNames()) {
                String value = properties.getProperty(key);
                if (key.startsWith("%prod.")) {
                    prodOverrides.put(key.substring("%prod.".length()), value);
                } else if (!key.startsWith("%")) {
                    merged.put(key, value);
                }
            }
        }
        merged.putAll(prodOverrides);
        return of(service, merged);
    }

    /** A configuration made of these properties, profiles already applied. */
    static ServiceConfig of(String service, Map<String, String> properties) {
        Set<String> names = new LinkedHashSet<>();
        for (String value : properties.values()) {
            Matcher matcher = EXPRESSION.matcher(value);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return new ServiceConfig(service, Map.copyOf(properties), Set.copyOf(names));
    }

    private static Properties read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        return properties;
    }

    public String service() {
        return service;
    }

    /** Every key the files define (production profile). */
    public Set<String> keys() {
        return properties.keySet();
    }

    public boolean defines(String key) {
        return properties.containsKey(key);
    }

    /**
     * The environment variables this service reads: every name used in a {@code ${...}} expression
     * (an {@code IM_*} placeholder, or a property name such as {@code im.auth.jwks-url}) and every
     * key its files define, each in MicroProfile's environment form.
     */
    public Set<String> environmentNames() {
        Set<String> names = new LinkedHashSet<>();
        expressionNames.forEach(name -> names.add(environmentForm(name)));
        properties.keySet().forEach(key -> names.add(environmentForm(key)));
        return names;
    }

    /** MicroProfile Config's environment form of a property name: non-alphanumerics to '_', upper case. */
    public static String environmentForm(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** The key's value for a pod with this environment, expressions expanded. */
    public Optional<String> value(String key, Map<String, String> environment) {
        return lookup(key, environment, 0);
    }

    public int intValue(String key, Map<String, String> environment, int defaultValue) {
        return value(key, environment).map(String::trim).map(Integer::parseInt).orElse(defaultValue);
    }

    private Optional<String> lookup(String name, Map<String, String> environment, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalStateException(service + ": expressions nest too deep at " + name);
        }
        String raw = environment.get(name);
        if (raw == null) {
            raw = environment.get(name.replaceAll("[^A-Za-z0-9]", "_"));
        }
        if (raw == null) {
            raw = environment.get(environmentForm(name));
        }
        if (raw == null) {
            raw = properties.get(name);
        }
        return raw == null ? Optional.empty() : Optional.of(expand(raw, environment, depth + 1));
    }

    private String expand(String value, Map<String, String> environment, int depth) {
        Matcher matcher = EXPRESSION.matcher(value);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String fallback = matcher.group(2);
            String replacement = lookup(name, environment, depth)
                    .orElseGet(() -> fallback == null ? "" : expand(fallback, environment, depth + 1));
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(expanded);
        return expanded.toString();
    }
}
