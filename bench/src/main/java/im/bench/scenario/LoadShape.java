package im.bench.scenario;

import java.time.Duration;

/**
 * The parameters both paired load shapes share. Defaults (issue #4): 1,000 connections,
 * window 4, 100-byte payload, 5 s warm-up, 15 s measured.
 */
public record LoadShape(int connections, int payloadBytes, Duration warmup, Duration measure, int ioThreads) {

    public LoadShape {
        if (connections < 2 || connections % 2 != 0) {
            throw new IllegalArgumentException("connections must be an even number >= 2, got " + connections);
        }
        if (payloadBytes < 16 || payloadBytes > 16_384) {
            throw new IllegalArgumentException("payload must be 16..16384 bytes (16 hold the timestamps)");
        }
    }

    public String describe() {
        return connections + " connections in pairs, " + payloadBytes + "-byte payload, " + warmup.toSeconds()
                + " s warm-up, " + measure.toSeconds() + " s measured";
    }
}
