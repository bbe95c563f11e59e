package io.raftstore.node;

import io.raftstore.core.ReadConsistency;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DriverSettings#leaseReads()} on real drivers over an in-memory network: what the setting changes is
 * whether a LEASE read costs the leader a round of messages to its followers.
 */
class LeaseReadsTest {

    private static final int READS = 50;
    private LocalDrivers cluster;

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Frames the leader sent while it served {@link #READS} LEASE reads, one after another. */
    private long framesForLeaseReads(boolean leaseReads) throws Exception {
        cluster = LocalDrivers.start(3, new DriverSettings(10, 5_000, leaseReads), id -> NodeMetrics.NONE);
        NodeDriver leader = cluster.awaitLeader();
        leader.propose(RegisterMachine.command("k", "v")).get(5, TimeUnit.SECONDS);
        long before = cluster.hub.framesSentBy(leader.nodeId());
        for (int i = 0; i < READS; i++) {
            assertEquals("read", leader.read(ReadConsistency.LEASE, () -> "read").get(5, TimeUnit.SECONDS));
        }
        return cluster.hub.framesSentBy(leader.nodeId()) - before;
    }

    @Test
    void withLeaseReadsALeaderServesThemWithoutARoundToItsFollowers() throws Exception {
        long frames = framesForLeaseReads(true);
        // Only heartbeats (two frames every 50 ms) and perhaps a round that renews a lease run out meanwhile.
        assertTrue(frames < READS, READS + " lease reads cost " + frames + " frames");
    }

    @Test
    void withoutLeaseReadsEachLeaseReadConfirmsLeadershipWithARound() throws Exception {
        long frames = framesForLeaseReads(false);
        assertTrue(frames >= 2 * READS, READS + " reads one after another, a round of two frames each: " + frames);
    }
}
