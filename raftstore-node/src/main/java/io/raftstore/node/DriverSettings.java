package io.raftstore.node;

/**
 * Timing of the event loop.
 *
 * @param tickMillis           wall-clock length of one engine tick
 * @param requestTimeoutMillis how long a request may wait for a leader and its answer before it fails
 */
public record DriverSettings(int tickMillis, long requestTimeoutMillis) {

    public static final DriverSettings DEFAULTS = new DriverSettings(10, 5_000);

    public DriverSettings {
        if (tickMillis < 1 || tickMillis > 1_000) {
            throw new IllegalArgumentException("tickMillis must be within 1..1000, was " + tickMillis);
        }
        if (requestTimeoutMillis < tickMillis) {
            throw new IllegalArgumentException("requestTimeoutMillis must be at least one tick, was " + requestTimeoutMillis);
        }
    }
}
