package io.raftstore.jca.session;

import io.raftstore.api.KeyHeldException;
import io.raftstore.api.ReadConsistency;
import io.raftstore.api.StoreUnavailableException;
import io.raftstore.api.UnknownTransactionException;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.OperationResult;
import io.raftstore.api.spi.Precondition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryingGatewayTest {

    private final InMemoryGateway store = new InMemoryGateway();
    private long nowNanos;
    private final List<Long> sleeps = new ArrayList<>();

    private RetryingGateway gateway(long budgetMillis) {
        return new RetryingGateway(() -> store, budgetMillis, () -> nowNanos, millis -> {
            sleeps.add(millis);
            nowNanos += millis * 1_000_000;
        });
    }

    @Test
    void retriesReadsUntilTheStoreAnswers() {
        store.failNext(3, true);
        assertTrue(gateway(5000).read("a", ReadConsistency.LINEARIZABLE).isEmpty());
        assertEquals(3, sleeps.size());
    }

    @Test
    void retriesWritesThatCertainlyWroteNothing() {
        store.failNext(2, false);
        assertInstanceOf(OperationResult.Written.class, gateway(5000).execute(new Operation.Put("a", new byte[1])));
        assertEquals(1, store.writeRequests() - 2, "two failed attempts, then one that wrote");
    }

    @Test
    void repeatsAWriteWhoseAnswerWasLostAndItAppliesOnce() {
        store.loseNextAnswers(1);
        OperationResult r = gateway(5000).execute(new Operation.Increment("n", 5));
        assertEquals(new OperationResult.Counted(5, store.version("n")), r, "the first outcome, answered again");
        assertEquals("5", store.value("n"), "applied once, although sent twice");
        assertEquals(1, store.requests.stream().filter(q -> q.startsWith("repeated")).count());
    }

    @Test
    void repeatsACommitWhoseAnswerWasLostAndItAppliesOnce() {
        store.externalPut("a", "1");
        long before = store.version("a");
        store.loseNextAnswers(1);
        long at = gateway(5000).executeBatch(List.of(new Precondition.VersionEquals("a", before)),
                List.of(new Operation.Put("a", new byte[] {2}), new Operation.Increment("n", 1)));
        assertEquals(at, store.version("a"));
        assertEquals("1", store.value("n"), "applied once: the repeated batch's condition would have failed");
    }

    @Test
    void eachWriteIsTheNextRequestOfOneSession() {
        RetryingGateway g = gateway(5000);
        g.execute(new Operation.Put("a", new byte[1]));
        store.loseNextAnswers(1);
        g.execute(new Operation.Put("b", new byte[1]));
        g.execute(new Operation.Put("c", new byte[1]));
        assertEquals(3, store.requests.stream().filter(q -> q.startsWith("execute")).count(),
                "three writes applied, the lost answer's one repeated, not applied again");
    }

    @Test
    void aWriteStillUnansweredWhenTheBudgetIsSpentMayHaveTakenEffect() {
        store.failNext(Integer.MAX_VALUE, true);
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> gateway(2000).execute(new Operation.Put("a", new byte[1])));
        assertTrue(e.mayHaveTakenEffect());
    }

    @Test
    void givesUpWhenTheBudgetIsSpent() {
        store.failNext(Integer.MAX_VALUE, false);
        assertThrows(StoreUnavailableException.class, () -> gateway(2000).read("a", ReadConsistency.LINEARIZABLE));
        long slept = sleeps.stream().mapToLong(Long::longValue).sum();
        assertEquals(2000, slept, "waited exactly the budget");
    }

    /** A repeated commit finds nothing to do: after a lost answer that means the first attempt committed. */
    @Test
    void aCommitWhoseAnswerWasLostIsRepeatedAndFoundDone() {
        store.prepare("tx", List.of(), List.of(new Operation.Put("a", "1".getBytes(StandardCharsets.UTF_8))));
        store.loseNextAnswers(1);
        gateway(5000).commitPrepared("tx");
        assertEquals("1", store.value("a"));
        assertEquals(1, sleeps.size());
        assertThrows(UnknownTransactionException.class, () -> gateway(5000).commitPrepared("tx"),
                "without an earlier unknown outcome, an unknown transaction is reported");
    }

    @Test
    void aPlainWriteToAHeldKeyIsRetriedUntilTheKeyIsReleased() {
        store.prepare("tx", List.of(), List.of(new Operation.Put("a", new byte[1])));
        RetryingGateway g = new RetryingGateway(() -> store, 5000, () -> nowNanos, millis -> {
            nowNanos += millis * 1_000_000;
            store.rollbackPrepared("tx"); // the holder finishes while the writer waits
        });
        assertInstanceOf(OperationResult.Written.class, g.execute(new Operation.Put("a", new byte[2])));
        store.prepare("tx2", List.of(), List.of(new Operation.Put("a", new byte[1])));
        assertThrows(KeyHeldException.class, () -> gateway(300).execute(new Operation.Put("a", new byte[3])));
    }

    @Test
    void unregisteredNodeIsRetriedThenReportedUnavailable() {
        RetryingGateway g = new RetryingGateway(() -> {
            throw new StoreUnavailableException("not running", 1000, false);
        }, 100, () -> nowNanos, millis -> nowNanos += millis * 1_000_000);
        assertThrows(StoreUnavailableException.class, () -> g.read("a", ReadConsistency.STALE));
    }
}
