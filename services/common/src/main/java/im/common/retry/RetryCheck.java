package im.common.retry;

/**
 * "Is this delivery still unacknowledged?", due after a delay. Plain data, so a cluster scheduler
 * can carry it through a delay queue; the attempt tells a check of an older attempt (stale) from
 * the current one.
 */
public record RetryCheck(long userId, String deviceId, String conversationId, long seq, int attempt) {

    public DeviceKey device() {
        return new DeviceKey(userId, deviceId);
    }
}
