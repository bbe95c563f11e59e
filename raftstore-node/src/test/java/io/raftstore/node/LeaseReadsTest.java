package io.raftstore.node;

import io.raftstore.core.ReadConsistency;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DriverSettings#leaseReads()} on real drivers over an in-memory network: what the setting changes is
 * whether a LEASE read costs the leader a round of messages to its followers, and whether it is answered on the
 * caller's thread; and how long a leader cut off goes on answering them.
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

    /** A 3-node cluster of drivers with {@code leaseReads}, and its leader once it has committed a write. */
    private NodeDriver leaderAfterAWrite(boolean leaseReads) throws Exception {
        cluster = LocalDrivers.start(3, new DriverSettings(10, 5_000, leaseReads), id -> NodeMetrics.NONE);
        NodeDriver leader = cluster.awaitLeader();
        leader.propose(RegisterMachine.command("k", "v")).get(5, TimeUnit.SECONDS);
        return leader;
    }

    /** Frames the leader sent while it served {@link #READS} LEASE reads, one after another. */
    private long framesForLeaseReads(boolean leaseReads) throws Exception {
        NodeDriver leader = leaderAfterAWrite(leaseReads);
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

    /** Of {@link #READS} LEASE reads on the leader, one after another, how many ran on the calling thread. */
    private int leaseReadsOnTheCallersThread(boolean leaseReads) throws Exception {
        NodeDriver leader = leaderAfterAWrite(leaseReads);
        Thread caller = Thread.currentThread();
        int here = 0;
        for (int i = 0; i < READS; i++) {
            if (leader.read(ReadConsistency.LEASE, () -> Thread.currentThread() == caller).get(5, TimeUnit.SECONDS)) {
                here++;
            }
        }
        return here;
    }

    @Test
    void withLeaseReadsALeaderServesThemOnTheCallersThread() throws Exception {
        int here = leaseReadsOnTheCallersThread(true);
        // All but those that come while an apply is behind the commit index or a lease is being renewed.
        assertTrue(here >= READS / 2, "only " + here + " of " + READS + " lease reads ran on the caller's thread");
    }

    @Test
    void withoutLeaseReadsEveryReadRunsOnTheLoop() throws Exception {
        assertEquals(0, leaseReadsOnTheCallersThread(false));
    }

    /** Until {@code leader} serves a LEASE read on the calling thread: a new leader's lease starts with its first round answered. */
    private static void awaitLeaseReadsOnTheCallersThread(NodeDriver leader) throws Exception {
        Thread caller = Thread.currentThread();
        long holds = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!leader.read(ReadConsistency.LEASE, () -> Thread.currentThread() == caller).get(5, TimeUnit.SECONDS)) {
            assertTrue(System.nanoTime() < holds, "the leader never served a lease read on the caller's thread");
            Thread.sleep(1);
        }
    }

    /**
     * A write the followers' answers committed is not yet applied on the leader: a follower's linearizable read may
     * already return it (its index came from this leader), so a lease read must not be served from the leader's
     * state as it is until the apply is done.
     */
    @Test
    void aLeaseReadWaitsForTheAppliesOfWhatTheLeaderKnowsCommitted() throws Exception {
        NodeDriver leader = leaderAfterAWrite(true);
        RegisterMachine machine = cluster.machines.get(cluster.drivers().indexOf(leader));
        awaitLeaseReadsOnTheCallersThread(leader);
        CountDownLatch applying = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        machine.beforeApply = command -> {
            if (command.equals("k=w")) {
                applying.countDown();
                try {
                    if (!release.await(5, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never let the apply go on");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        CompletableFuture<byte[]> write = leader.propose(RegisterMachine.command("k", "w"));
        assertTrue(applying.await(5, TimeUnit.SECONDS), "k=w committed and being applied");
        CompletableFuture<String> read = leader.read(ReadConsistency.LEASE, () -> machine.values.get("k"));
        release.countDown();
        write.get(5, TimeUnit.SECONDS);
        assertEquals("w", read.get(5, TimeUnit.SECONDS), "the lease read was served before k=w was applied");
    }

    /**
     * A leader cut off from its followers stops answering on callers' threads before its followers could elect
     * another leader (an election timeout after the last round they answered, which was sent before the cut),
     * also while its loop cannot run to withdraw the lease (held up here by a query on the loop; in life a
     * pause of the loop thread alone).
     */
    @ParameterizedTest(name = "loop held up: {0}")
    @ValueSource(booleans = {false, true})
    void aLeaderCutOffServesFromItsLeaseNoLongerThanAnElectionTimeout(boolean loopHeldUp) throws Exception {
        NodeDriver leader = leaderAfterAWrite(true);
        Thread caller = Thread.currentThread();
        awaitLeaseReadsOnTheCallersThread(leader);
        long electionTimeout = TimeUnit.MILLISECONDS.toNanos(10L * 15); // RaftConfig.defaults: 15 ticks of 10 ms
        if (loopHeldUp) {
            CountDownLatch held = new CountDownLatch(1);
            leader.read(ReadConsistency.STALE, () -> {
                held.countDown();
                LockSupport.parkNanos(3 * electionTimeout);
                return "held";
            });
            assertTrue(held.await(5, TimeUnit.SECONDS));
        }
        cluster.hub.isolate(leader.nodeId());
        long cut = System.nanoTime();
        long lastServedHere = cut;
        while (System.nanoTime() - cut < 3 * electionTimeout) {
            long asked = System.nanoTime(); // the lease is checked after this
            CompletableFuture<Boolean> read = leader.read(ReadConsistency.LEASE, () -> Thread.currentThread() == caller);
            if (read.isDone() && read.getNow(false)) {
                lastServedHere = asked;
            }
            Thread.sleep(1);
        }
        assertTrue(lastServedHere - cut < electionTimeout, "served from the lease "
                + TimeUnit.NANOSECONDS.toMillis(lastServedHere - cut) + " ms after the cut");
    }
}
