package im.common.service;

/**
 * The services of a deployment, as they name themselves in a service token: the subject of a
 * token is its caller, the audience the service it was minted for.
 */
public enum ServiceName {
    AUTH("auth"),
    USER("user"),
    ROUTER("router"),
    LEAF("leaf"),
    PUSH("push");

    private final String id;

    ServiceName(String id) {
        this.id = id;
    }

    /** The name in a token's {@code sub} or {@code aud}. */
    public String id() {
        return id;
    }

    /** The service a token names, or null when it names none of these. */
    public static ServiceName ofId(String id) {
        for (ServiceName name : values()) {
            if (name.id.equals(id)) {
                return name;
            }
        }
        return null;
    }
}
