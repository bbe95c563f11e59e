package io.raftstore.node.sim;

import io.raftstore.kv.KvLimits;
import io.raftstore.storage.LogStoreKind;
import io.raftstore.storage.h2.H2StorageConfig;

import java.util.Random;

/**
 * One node's settings, drawn per node from the seed: nodes of one cluster may be configured differently
 * (within what the product accepts), and nothing that decides a replicated outcome may depend on it.
 *
 * @param snapshotEvery    entries applied between two snapshots (small, so followers need InstallSnapshot)
 * @param snapshotKeep     entries kept in the log behind a snapshot
 * @param maxValueBytes    the node's value limit (finding 6: replicas must not diverge over it)
 * @param snapshotChunkBytes chunks of a snapshot sent to a follower (small, so installs take several)
 * @param logStore         where the node keeps its Raft log: a cluster mixes both stores, so every seed
 *                         runs both (a node keeps its store across restarts, and its data directory with it)
 * @param leaseReads       the node serves LEASE reads from its lease when it leads, and honours other leaders'
 *                         leases (no peer-loss hints): nodes of one cluster differ, as halfway through a rolling
 *                         restart that changes the setting
 * @param tickMillis       the node's tick, and with it (like {@code electionTicks}) its election timeout: nodes
 *                         differ, as halfway through a rolling restart that changes them (a leader's lease must
 *                         end by what its followers promise, not by its own timeout)
 */
record SimNodeConfig(int tickMillis, int heartbeatTicks, int electionTicks, long requestTimeoutMillis,
                     long snapshotEvery, long snapshotKeep, int checkpointMillis, long walSegmentBytes,
                     int maxValueBytes, long learnerLag, int snapshotChunkBytes, LogStoreKind logStore,
                     boolean leaseReads) {

    /** Mostly RaftStore's default tick; some nodes tick twice as often or half as often. */
    private static final int[] TICK_MILLIS = {5, 10, 10, 20};

    static SimNodeConfig draw(Random random) {
        int heartbeat = 2 + random.nextInt(4);
        long every = 10 + random.nextInt(150);
        int tickMillis = TICK_MILLIS[random.nextInt(TICK_MILLIS.length)];
        return new SimNodeConfig(tickMillis, heartbeat, heartbeat * 3 + random.nextInt(12),
                1_000 + 500L * random.nextInt(5), every, random.nextInt((int) every / 4 + 1),
                random.nextInt(4) * 250, 2_048L << random.nextInt(8), 48 + random.nextInt(200),
                20 + random.nextInt(500), 64 << random.nextInt(4),
                random.nextBoolean() ? LogStoreKind.WAL : LogStoreKind.H2, random.nextBoolean());
    }

    H2StorageConfig storage() {
        return H2StorageConfig.DEFAULT.withCheckpointMillis(checkpointMillis).withWalSegmentBytes(walSegmentBytes)
                .withLogStore(logStore);
    }

    KvLimits limits() {
        return new KvLimits(maxValueBytes, KvLimits.DEFAULT.maxBatchOps(), KvLimits.DEFAULT.maxScanLimit());
    }

    int requestTimeoutTicks() {
        return (int) Math.max(electionTicks, requestTimeoutMillis / tickMillis);
    }
}
