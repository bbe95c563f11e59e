package io.raftstore.node;

import io.raftstore.core.RaftConfig;

import java.util.concurrent.TimeUnit;

/**
 * Timing of the event loop, and how LEASE reads are served.
 *
 * @param tickMillis           wall-clock length of one engine tick
 * @param requestTimeoutMillis how long a request may wait for a leader and its answer before it fails
 * @param leaseReads           a leader serves LEASE reads from its lease, without a round to the followers. The
 *                             price: the transport's reports of a closed connection no longer let a crashed
 *                             leader's followers campaign at once (a follower that did could elect a new leader
 *                             while the old one, alive and cut off, still serves from its lease), so a crash is
 *                             noticed after an election timeout. Off: LEASE reads are ReadIndex reads.
 */
public record DriverSettings(int tickMillis, long requestTimeoutMillis, boolean leaseReads) {

    public static final DriverSettings DEFAULTS = new DriverSettings(10, 5_000);

    public DriverSettings {
        if (tickMillis < 1 || tickMillis > 1_000) {
            throw new IllegalArgumentException("tickMillis must be within 1..1000, was " + tickMillis);
        }
        if (requestTimeoutMillis < tickMillis) {
            throw new IllegalArgumentException("requestTimeoutMillis must be at least one tick, was " + requestTimeoutMillis);
        }
    }

    /** Without lease reads: LEASE reads take a ReadIndex round, and a crashed leader is replaced at once. */
    public DriverSettings(int tickMillis, long requestTimeoutMillis) {
        this(tickMillis, requestTimeoutMillis, false);
    }

    /**
     * {@code config} as the engine of a driver with these settings must run: a driver reports peers whose
     * connections closed (peer-loss hints: followers of a crashed leader campaign at once), unless leases are
     * served, which those early votes would break; and followers tell a leader in real time how long they honour
     * its lease, for which the engine needs the tick's length.
     */
    public RaftConfig engineConfig(RaftConfig config) {
        return config.withPeerLossHints(!leaseReads)
                .withTickMicros(Math.toIntExact(TimeUnit.MILLISECONDS.toMicros(tickMillis)));
    }
}
