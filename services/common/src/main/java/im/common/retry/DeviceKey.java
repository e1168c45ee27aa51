package im.common.retry;

/** One device of one user: the owner of pending deliveries. */
public record DeviceKey(long userId, String deviceId) {
}
