package im.client.sdk;

/** A user who asked to join an {@code APPROVAL} group, and when (epoch millis). */
public record GroupJoinRequest(long userId, long requestedAtMs) {
}
