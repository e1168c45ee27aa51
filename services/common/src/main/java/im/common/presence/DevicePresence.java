package im.common.presence;

/** One connected device: which push node holds its session, and the session's epoch. */
public record DevicePresence(long userId, String deviceId, String nodeId, long epoch) {
}
