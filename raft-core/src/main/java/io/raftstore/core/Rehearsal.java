package io.raftstore.core;

import java.util.List;

/**
 * Runs one leadership transfer in a private, in-memory cluster of three engines ({@link InMemoryCluster},
 * messages through the codec), so that a JVM has loaded, linked and run every piece of engine code a real
 * transfer needs before it needs one.
 *
 * <p>Why: a node usually hands leadership over once in its life, when it stops, and the node that takes over
 * has often never led in its JVM either. Measured on a 2-core machine with three Liberty servers, code run
 * for the first time (classes loaded through the application's class loader, lambdas linked, interpreted
 * methods) made a graceful stop's transfer take 30-60 ms where the same transfer in JVMs that had done one
 * before took about 5 ms from the signal to the new leader's first append.
 *
 * <p>Deterministic (fixed seeds), bounded, and isolated: it shares nothing with the node's own engine.
 */
public final class Rehearsal {

    private Rehearsal() {
    }

    /**
     * What a rehearsal did, so that a test can tell it ran what it claims to run.
     *
     * @param firstLeader    the node elected first, which hands over
     * @param nextLeader     the node that leads at the end
     * @param writeRefused   a write proposed during the transfer was refused (as a client's would be)
     * @param readsServed    linearizable reads released
     * @param appliedIndexes each node's applied index at the end
     * @param batchesEncoded message batches that went through the codec
     */
    public record Result(String firstLeader, String nextLeader, boolean writeRefused, long readsServed,
                         List<Long> appliedIndexes, long batchesEncoded) {
    }

    /** Elects a leader, replicates, reads, hands leadership to the best voter with writes refused meanwhile. */
    public static Result leadershipTransfer() {
        InMemoryCluster cluster = new InMemoryCluster(3,
                config -> config.withTimeouts(1, 10, 100).withPeerLossHints(true), true);
        RaftNode leader = cluster.leader();
        leader.propose(new byte[16], 1, 1);
        leader.read(1, ReadConsistency.LINEARIZABLE);
        cluster.run();
        leader.transferLeadership(null);
        boolean refused = false;
        try {
            leader.propose(new byte[16], 1, 2);
        } catch (RequestRejectedException expected) {
            refused = true; // refused during the transfer, as a real client's write would be
        }
        cluster.run();
        RaftNode next = cluster.currentLeader();
        if (next == null || next == leader) {
            throw new IllegalStateException("the rehearsed leadership transfer did not complete");
        }
        next.propose(new byte[16], 1, 2);
        cluster.run();
        for (RaftNode n : cluster.nodes()) {
            n.tick();
        }
        cluster.run();
        return new Result(leader.id(), next.id(), refused, cluster.readsServed(), cluster.appliedIndexes(),
                cluster.batchesEncoded());
    }
}
