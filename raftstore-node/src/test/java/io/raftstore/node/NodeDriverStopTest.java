package io.raftstore.node;

import io.raftstore.core.FailureReason;
import io.raftstore.core.Membership;
import io.raftstore.core.RaftConfig;
import io.raftstore.core.ReadConsistency;
import io.raftstore.core.storage.RaftStorage;
import io.raftstore.core.storage.memory.MemoryHardStateStore;
import io.raftstore.core.storage.memory.MemoryLogStore;
import io.raftstore.core.storage.memory.MemorySnapshotStore;
import io.raftstore.node.history.InMemoryFailoverHistory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request queued for the loop but not yet taken by it when the node stops must still be answered; it
 * waited for ever (its caller only gave up at its own timeout). Found by the whole-node simulation: a
 * client's read to a node that crashed right after it was submitted stayed unanswered.
 */
class NodeDriverStopTest {

    @Test
    void requestsQueuedWhenTheLoopStopsAreFailedNotLeftWaiting() throws Exception {
        NodeDriver driver = new NodeDriver(RaftConfig.defaults("n1", Membership.ofVoters("n1", "n2")),
                new RaftStorage(new MemoryLogStore(), new MemoryHardStateStore(), new MemorySnapshotStore()),
                new RegisterMachine(), new LocalHub().transport("n1"), new InMemoryFailoverHistory(10),
                DriverSettings.DEFAULTS, r -> {
                    throw new IllegalStateException("driven");
                }, new SplittableRandom(1));
        driver.startDriven();
        // Queued, and no turn runs before the node stops.
        List<CompletableFuture<?>> queued = List.of(driver.propose(RegisterMachine.command("a", "1")),
                driver.read(ReadConsistency.LINEARIZABLE, () -> "x"), driver.snapshotNow());

        driver.close();

        for (CompletableFuture<?> f : queued) {
            assertTrue(f.isDone(), "a request queued before the stop is still waiting");
            Throwable e = f.handle((r, err) -> err).get(1, TimeUnit.SECONDS);
            RequestFailedException failed = assertInstanceOf(RequestFailedException.class, e);
            assertEquals(FailureReason.NOT_LEADER, failed.reason());
            assertTrue(failed.getMessage().contains("not running"), failed.getMessage());
        }
    }
}
