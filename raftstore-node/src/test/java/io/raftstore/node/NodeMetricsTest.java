package io.raftstore.node;

import io.raftstore.core.ReadConsistency;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver reports its work to {@link NodeMetrics} where it happens: on the leader, the follower, every node. */
class NodeMetricsTest {

    private static final int WRITES = 10;
    private LocalDrivers cluster;

    /** Counts each event per node, in plain Java, as an exporter would. */
    private static final class Counts implements NodeMetrics {
        final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

        long get(String event) {
            return counts.getOrDefault(event, new AtomicLong()).get();
        }

        private void add(String event, long n) {
            counts.computeIfAbsent(event, e -> new AtomicLong()).addAndGet(n);
        }

        @Override
        public void proposed() {
            add("proposed", 1);
        }

        @Override
        public void forwarded() {
            add("forwarded", 1);
        }

        @Override
        public void applied(int entries) {
            add("applied", entries);
        }

        @Override
        public void readsReleased(int reads) {
            add("read rounds", 1);
            add("reads", reads);
        }

        @Override
        public void persisted(long nanos, int entries, boolean synced) {
            add("persisted entries", entries);
        }

        @Override
        public void leaderChanged(String cause, boolean newLeaderKnown) {
            add("leader " + (newLeaderKnown ? "changed " : "lost ") + cause, 1);
        }

        @Override
        public void campaigned() {
            add("campaigned", 1);
        }
    }

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void eachNodeCountsWhatItDid() throws Exception {
        Map<String, Counts> metrics = new ConcurrentHashMap<>();
        cluster = LocalDrivers.start(3, 5_000, id -> metrics.computeIfAbsent(id, i -> new Counts()));
        NodeDriver leader = cluster.awaitLeader();
        List<NodeDriver> followers = cluster.drivers().stream().filter(d -> d != leader).toList();
        NodeDriver follower = followers.get(0);
        for (int i = 0; i < WRITES; i++) {
            follower.propose(RegisterMachine.command("k" + i, "v")).get(5, TimeUnit.SECONDS);
        }
        follower.read(ReadConsistency.LINEARIZABLE, () -> "read").get(5, TimeUnit.SECONDS);

        Counts onLeader = metrics.get(leader.nodeId());
        Counts onFollower = metrics.get(follower.nodeId());
        assertTrue(onLeader.get("proposed") >= WRITES, onLeader.counts.toString());
        assertEquals(WRITES, onFollower.get("forwarded"), onFollower.counts.toString());
        assertEquals(0, onFollower.get("proposed"), onFollower.counts.toString());
        assertTrue(onLeader.get("applied") >= WRITES && onFollower.get("applied") >= WRITES, metrics.toString());
        assertTrue(onLeader.get("persisted entries") >= WRITES, onLeader.counts.toString());
        // The follower's read got its index from the leader; the follower released it.
        assertEquals(1, onFollower.get("reads"), onFollower.counts.toString());
        assertTrue(onLeader.get("campaigned") >= 1, onLeader.counts.toString());
        assertTrue(onFollower.counts.keySet().stream().anyMatch(k -> k.startsWith("leader changed ")),
                onFollower.counts.toString());
    }
}
