package io.raftstore.node;

import io.raftstore.core.FailureReason;
import io.raftstore.core.Membership;
import io.raftstore.core.RaftConfig;
import io.raftstore.core.Role;
import io.raftstore.core.storage.RaftStorage;
import io.raftstore.core.storage.memory.MemoryHardStateStore;
import io.raftstore.core.storage.memory.MemoryLogStore;
import io.raftstore.core.storage.memory.MemorySnapshotStore;
import io.raftstore.node.history.InMemoryFailoverHistory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** What a caller on a follower sees when the leader it forwarded to disappears, over an in-memory network. */
class RequestRoutingTest {

    private final LocalHub hub = new LocalHub();
    private final List<NodeDriver> drivers = new ArrayList<>();
    private final List<RegisterMachine> machines = new ArrayList<>();

    @AfterEach
    void close() {
        drivers.forEach(NodeDriver::close);
    }

    private void start(long requestTimeoutMillis) throws Exception {
        Membership voters = Membership.ofVoters("n1", "n2", "n3");
        for (int i = 1; i <= 3; i++) {
            RegisterMachine machine = new RegisterMachine();
            NodeDriver d = new NodeDriver(RaftConfig.defaults("n" + i, voters),
                    new RaftStorage(new MemoryLogStore(), new MemoryHardStateStore(), new MemorySnapshotStore()),
                    machine, hub.transport("n" + i), new InMemoryFailoverHistory(10),
                    new DriverSettings(10, requestTimeoutMillis), r -> {
                        Thread t = new Thread(r);
                        t.setDaemon(true);
                        return t;
                    }, new SplittableRandom(i));
            d.start();
            drivers.add(d);
            machines.add(machine);
        }
    }

    private NodeDriver awaitLeader(List<NodeDriver> among) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (NodeDriver d : among) {
                if (d.status().role() == Role.LEADER && among.stream().allMatch(o -> d.nodeId().equals(o.status().leaderId()))) {
                    return d;
                }
            }
            Thread.sleep(5);
        }
        fail("no leader among " + among.stream().map(NodeDriver::nodeId).toList());
        return null;
    }

    private static RequestFailedException failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(15, TimeUnit.SECONDS));
        return assertInstanceOf(RequestFailedException.class, e.getCause());
    }

    @Test
    void aForwardedWriteLostWithItsLeaderIsReportedAsUncertainUnlessItHasASession() throws Exception {
        start(5_000);
        NodeDriver leader = awaitLeader(drivers);
        List<NodeDriver> others = drivers.stream().filter(d -> d != leader).toList();
        NodeDriver follower = others.get(0);
        follower.propose(RegisterMachine.command("warm", "up")).get(5, TimeUnit.SECONDS);

        hub.isolate(leader.nodeId()); // it hangs: what is forwarded to it is never answered
        CompletableFuture<byte[]> plain = follower.propose(RegisterMachine.command("plain", "1"));
        CompletableFuture<byte[]> session = follower.propose(RegisterMachine.command("session", "1"), 7, 1);

        RequestFailedException uncertain = failure(plain);
        assertEquals(FailureReason.OUTCOME_UNKNOWN, uncertain.reason());
        assertTrue(uncertain.mayHaveTakenEffect() && uncertain.unavailable(), uncertain.getMessage());

        // With a client session the follower re-sends it to the new leader (exactly-once by the session).
        session.get(10, TimeUnit.SECONDS);
        NodeDriver next = awaitLeader(others);
        RegisterMachine nextMachine = machines.get(drivers.indexOf(next));
        assertEquals("1", next.read(io.raftstore.core.ReadConsistency.LINEARIZABLE,
                () -> nextMachine.values.get("session")).get(5, TimeUnit.SECONDS));
    }

    @Test
    void cutOffWithoutALeaderARequestFailsAtOnceHavingWrittenNothing() throws Exception {
        start(1_000);
        NodeDriver leader = awaitLeader(drivers);
        for (NodeDriver d : drivers) {
            hub.isolate(d.nodeId());
        }
        NodeDriver follower = drivers.stream().filter(d -> d != leader).findFirst().orElseThrow();
        // Wait until the follower has given up on the old leader, so nothing is forwarded anywhere.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (follower.status().leaderId() != null && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        long start = System.nanoTime();
        RequestFailedException e = failure(follower.propose(RegisterMachine.command("k", "v")));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertFalse(e.mayHaveTakenEffect(), e.getMessage());
        // The node reaches no other voter and knows no leader: waiting for the 1 s deadline would only delay
        // the same answer, so it fails at the next tick.
        assertTrue(e.getMessage().contains("fewer than a majority of the voters"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was written"), e.getMessage());
        assertTrue(waited < 500, "waited " + waited + " ms");
    }
}
