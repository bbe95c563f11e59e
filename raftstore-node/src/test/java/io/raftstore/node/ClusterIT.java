package io.raftstore.node;

import io.raftstore.core.NodeStatus;
import io.raftstore.core.ReadConsistency;
import io.raftstore.core.Role;
import io.raftstore.node.history.FailoverEvent;
import io.raftstore.transport.jgroups.PeerAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Three nodes in one JVM on real JGroups channels over 127.0.0.1 and real H2 files: election,
 * replication, forwarding, a crashed leader, and the bounded wait once a quorum is gone.
 */
class ClusterIT {

    private static final int BASE_PORT = 17820;
    private static final long SEED = Long.getLong("cluster.seed", 20261122L);

    @TempDir
    Path dataRoot;
    private final List<TestNode> nodes = new ArrayList<>();

    @AfterEach
    void closeAll() {
        nodes.forEach(TestNode::close);
    }

    private void startCluster() throws Exception {
        List<PeerAddress> members = List.of(new PeerAddress("n1", "127.0.0.1", BASE_PORT + 1),
                new PeerAddress("n2", "127.0.0.1", BASE_PORT + 2), new PeerAddress("n3", "127.0.0.1", BASE_PORT + 3));
        for (int i = 0; i < members.size(); i++) {
            String id = members.get(i).nodeId();
            nodes.add(new TestNode(id, members, dataRoot.resolve(id), SEED + i));
        }
    }

    private <T> T await(String what, long seconds, Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(5);
        }
        StringBuilder state = new StringBuilder();
        for (TestNode n : nodes) {
            NodeStatus s = n.driver.status();
            state.append("\n  ").append(n.id).append(' ').append(s.role()).append(" term ").append(s.term())
                    .append(" leader ").append(s.leaderId()).append(" commit ").append(s.commitIndex())
                    .append(" reaches ").append(n.driver.reachablePeers()).append(" alive ").append(n.driver.alive());
        }
        fail("timed out after " + seconds + " s waiting for " + what + " (seed " + SEED + ")" + state);
        return null;
    }

    /** The node every live node agrees leads, or null. */
    private TestNode agreedLeader(List<TestNode> live) {
        TestNode leader = null;
        for (TestNode n : live) {
            NodeStatus s = n.driver.status();
            if (s.role() == Role.LEADER) {
                leader = n;
            }
        }
        if (leader == null) {
            return null;
        }
        for (TestNode n : live) {
            if (!leader.id.equals(n.driver.status().leaderId())) {
                return null;
            }
        }
        return leader;
    }

    private static String write(TestNode via, String key, String value) throws Exception {
        byte[] result = via.driver.propose(RegisterMachine.command(key, value)).get(10, TimeUnit.SECONDS);
        return new String(result, StandardCharsets.UTF_8);
    }

    @Test
    void survivesTheLossOfItsLeaderAndFailsClearlyWithoutQuorum() throws Exception {
        startCluster();
        TestNode leader = await("a leader all three agree on", 30, () -> agreedLeader(nodes));
        List<TestNode> followers = nodes.stream().filter(n -> n != leader).toList();

        Map<String, String> acknowledged = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            assertTrue(write(leader, "k" + i, "v" + i).startsWith("applied@"));
            acknowledged.put("k" + i, "v" + i);
        }
        // Follower forwarding: a write sent to a follower is proposed by the leader and answered.
        for (int i = 20; i < 40; i++) {
            TestNode via = followers.get(i % 2);
            assertTrue(write(via, "k" + i, "v" + i).startsWith("applied@"));
            acknowledged.put("k" + i, "v" + i);
        }
        // Concurrent writes through every node at once share syncs and all complete.
        List<CompletableFuture<byte[]>> inFlight = new ArrayList<>();
        for (int i = 40; i < 100; i++) {
            inFlight.add(nodes.get(i % 3).driver.propose(RegisterMachine.command("k" + i, "v" + i)));
            acknowledged.put("k" + i, "v" + i);
        }
        for (CompletableFuture<byte[]> f : inFlight) {
            f.get(10, TimeUnit.SECONDS);
        }
        // A linearizable read on a follower sees the last acknowledged write.
        String seen = followers.get(0).driver.read(ReadConsistency.LINEARIZABLE,
                () -> followers.get(0).machine.values.get("k99")).get(10, TimeUnit.SECONDS);
        assertEquals("v99", seen);

        // Kill the leader abruptly; the two others elect a new one and keep every acknowledged write.
        long crashedAt = System.nanoTime();
        leader.crash();
        List<TestNode> survivors = followers;
        TestNode next = await("a new leader after the crash", 20, () -> agreedLeader(survivors));
        long failoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crashedAt);
        System.out.println("ClusterIT: " + next.id + " leads " + failoverMillis + " ms after " + leader.id + " crashed");
        assertNotEquals(leader.id, next.id);

        TestNode other = survivors.stream().filter(n -> n != next).findFirst().orElseThrow();
        long firstWrite = System.nanoTime();
        write(other, "after", "crash"); // forwarded to the new leader
        System.out.println("ClusterIT: first write after the crash acknowledged "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crashedAt) + " ms after it ("
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstWrite) + " ms for the write itself)");
        acknowledged.put("after", "crash");
        for (TestNode n : survivors) {
            String lastKey = n.driver.read(ReadConsistency.LINEARIZABLE, () -> n.machine.values.get("after"))
                    .get(10, TimeUnit.SECONDS);
            assertEquals("crash", lastKey, n.id + " serves the write made after the crash");
            acknowledged.forEach((k, v) -> assertEquals(v, n.machine.values.get(k), n.id + " lost " + k));
        }
        List<FailoverEvent> history = next.driver.history(50);
        assertFalse(history.isEmpty(), "the new leader recorded the change");
        assertEquals(next.id, history.get(history.size() - 1).newLeader());

        // With two of three down no quorum exists: a write fails within the bounded wait, clearly.
        next.crash();
        long start = System.nanoTime();
        CompletableFuture<byte[]> doomed = other.driver.propose(RegisterMachine.command("no", "quorum"));
        ExecutionException failure = null;
        try {
            doomed.get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            failure = e;
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertNotNull(failure, "a write without quorum must not succeed");
        RequestFailedException why = assertInstanceOf(RequestFailedException.class, failure.getCause());
        assertTrue(why.unavailable(), why.toString());
        assertTrue(why.getMessage().contains("unavailable"), why.getMessage());
        // At most the 5 s request timeout; sooner once the view shows this node alone (no majority reachable).
        assertTrue(waited < 8_000, "bounded wait of at most about 5 s, was " + waited + " ms");
        System.out.println("ClusterIT: without quorum the write failed after " + waited + " ms: " + why.getMessage());

        // A stale read is still served locally.
        assertEquals("crash", other.driver.read(ReadConsistency.STALE, () -> other.machine.values.get("after"))
                .get(2, TimeUnit.SECONDS));
    }
}
