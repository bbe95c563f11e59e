package io.raftstore.node;

import io.raftstore.core.FailureReason;
import io.raftstore.core.ReadConsistency;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a caller on a follower sees when the leader it forwarded to disappears, over an in-memory network. */
class RequestRoutingTest {

    private LocalDrivers cluster;
    private List<NodeDriver> drivers;
    private List<RegisterMachine> machines;

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void start(long requestTimeoutMillis) throws Exception {
        cluster = LocalDrivers.start(3, requestTimeoutMillis);
        drivers = cluster.drivers;
        machines = cluster.machines;
    }

    private NodeDriver awaitLeader(List<NodeDriver> among) throws InterruptedException {
        return cluster.awaitLeader(among);
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

        cluster.hub.isolate(leader.nodeId()); // it hangs: what is forwarded to it is never answered
        CompletableFuture<byte[]> plain = follower.propose(RegisterMachine.command("plain", "1"));
        CompletableFuture<byte[]> session = follower.propose(RegisterMachine.command("session", "1"), 7, 1);

        RequestFailedException uncertain = failure(plain);
        assertEquals(FailureReason.OUTCOME_UNKNOWN, uncertain.reason());
        assertTrue(uncertain.mayHaveTakenEffect() && uncertain.unavailable(), uncertain.getMessage());

        // With a client session the follower re-sends it to the new leader (exactly-once by the session).
        session.get(10, TimeUnit.SECONDS);
        NodeDriver next = awaitLeader(others);
        RegisterMachine nextMachine = machines.get(drivers.indexOf(next));
        assertEquals("1", next.read(ReadConsistency.LINEARIZABLE,
                () -> nextMachine.values.get("session")).get(5, TimeUnit.SECONDS));
    }

    @Test
    void cutOffWithoutALeaderARequestFailsAtOnceHavingWrittenNothing() throws Exception {
        start(1_000);
        NodeDriver leader = awaitLeader(drivers);
        for (NodeDriver d : drivers) {
            cluster.hub.isolate(d.nodeId());
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
