package io.raftstore.jca.session;

import io.raftstore.api.ConditionFailedException;
import io.raftstore.api.InvalidKeyException;
import io.raftstore.api.InvalidRequestException;
import io.raftstore.api.NotACounterException;
import io.raftstore.api.ReadConsistency;
import io.raftstore.api.StoreConnection;
import io.raftstore.api.StoreUnavailableException;
import io.raftstore.api.TransactionConflictException;
import io.raftstore.api.ValueTooLargeException;
import io.raftstore.api.Versioned;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.Precondition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BufferedTransactionTest {

    private static final ReadConsistency LIN = ReadConsistency.LINEARIZABLE;

    private final InMemoryGateway store = new InMemoryGateway();
    private final BufferedTransaction tx = new BufferedTransaction(store);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String read(String key) {
        return tx.get(key, LIN).map(Versioned::asString).orElse(null);
    }

    @Test
    void writesStayBufferedUntilCommitThenApplyAsOneBatch() {
        assertEquals(StoreConnection.PENDING, tx.put("a", b("1")));
        tx.put("b", b("2"));
        assertEquals(0, store.writeRequests());
        assertNull(store.value("a"));

        tx.commit();

        assertEquals(List.of("batch 2"), store.requests);
        assertEquals("1", store.value("a"));
        assertEquals(store.version("a"), store.version("b"), "both keys written at one log position");
    }

    @Test
    void readsSeeTheTransactionsOwnWrites() {
        store.externalPut("gone", "x");
        store.externalPut("kept", "y");
        tx.put("new", b("n"));
        tx.delete("gone");

        Versioned mine = tx.get("new", LIN).orElseThrow();
        assertEquals("n", mine.asString());
        assertTrue(mine.pending());
        assertNull(read("gone"));
        assertEquals(List.of("kept", "new"), tx.scan("", 10, LIN).stream().map(Versioned::key).toList());
        tx.put("kept", b("z"));
        assertEquals("z", read("kept"));
    }

    @Test
    void repeatedReadsAskTheStoreOnceAndStayRepeatable() {
        store.externalPut("a", "1");
        assertEquals("1", read("a"));
        store.externalPut("a", "2");
        assertEquals("1", read("a"), "a transaction keeps seeing what it read first");
        assertEquals(1, store.requests.stream().filter(r -> r.equals("read a")).count());
    }

    @Test
    void everyReadBecomesACondition() {
        long va = store.externalPut("a", "1");
        read("a");
        read("absent");
        tx.scan("s/", 10, LIN);
        long vs = store.externalPut("s/1", "late"); // not seen by the scan above: not a condition
        tx.put("out", b("x"));
        tx.commit();

        List<Precondition> conditions = store.batchConditions.get(0);
        assertTrue(conditions.contains(new Precondition.VersionEquals("a", va)), conditions.toString());
        assertTrue(conditions.contains(new Precondition.Absent("absent")), conditions.toString());
        assertEquals(2, conditions.size(), conditions.toString());
        assertEquals(vs, store.version("s/1"));
    }

    @Test
    void concurrentChangeOfAReadKeyFailsTheCommitAndWritesNothing() {
        long v1 = store.externalPut("balance", "100");
        long seen = Long.parseLong(read("balance"));
        tx.put("balance", b(Long.toString(seen - 30)));
        tx.put("audit", b("took 30"));
        long v2 = store.externalPut("balance", "500");

        TransactionConflictException e = assertThrows(TransactionConflictException.class, tx::commit);

        assertEquals("balance", e.key());
        assertTrue(e.getMessage().contains("version " + v1) && e.getMessage().contains("version " + v2), e.getMessage());
        assertTrue(e.getMessage().contains("Run the transaction again"), e.getMessage());
        assertEquals("500", store.value("balance"));
        assertNull(store.value("audit"));
    }

    @Test
    void keyCreatedAfterItWasReadAbsentIsAConflict() {
        assertNull(read("lock"));
        tx.put("lock", b("mine"));
        store.externalPut("lock", "theirs");
        assertThrows(TransactionConflictException.class, tx::commit);
        assertEquals("theirs", store.value("lock"));
    }

    @Test
    void blindWritesDoNotConflict() {
        tx.put("k", b("mine"));
        store.externalPut("k", "theirs");
        tx.commit();
        assertEquals("mine", store.value("k"));
    }

    @Test
    void rollbackDiscardsEverything() {
        store.externalPut("a", "1");
        read("a");
        tx.put("a", b("2"));
        tx.put("b", b("3"));
        tx.rollback();
        assertEquals("1", store.value("a"));
        assertNull(store.value("b"));
        assertEquals(0, store.writeRequests());
        assertThrows(IllegalStateException.class, tx::commit);
        assertThrows(IllegalStateException.class, () -> tx.put("c", b("1")));
    }

    @Test
    void readOnlyTransactionProposesNothing() {
        store.externalPut("a", "1");
        read("a");
        tx.commit();
        assertEquals(0, store.writeRequests());
    }

    @Test
    void badInputIsRejectedAtTheCallAndNeverWritten() {
        tx.put("good", b("ok"));
        ValueTooLargeException big = assertThrows(ValueTooLargeException.class,
                () -> tx.put("big", new byte[InMemoryGateway.LIMITS.maxValueBytes() + 1]));
        assertEquals(InMemoryGateway.LIMITS.maxValueBytes(), big.limit());
        assertTrue(big.getMessage().contains("nothing was written"), big.getMessage());
        assertThrows(InvalidKeyException.class, () -> tx.put("", b("x")));
        assertThrows(InvalidKeyException.class, () -> tx.put("bad\nkey", b("x")));
        assertThrows(InvalidKeyException.class, () -> tx.get("x".repeat(1025), LIN));
        assertThrows(InvalidKeyException.class, () -> tx.compareAndSet("\u0000", 1, b("x")));
        assertThrows(InvalidRequestException.class, () -> tx.scan("p", 0, LIN));

        tx.commit();
        assertEquals("ok", store.value("good"));
        assertNull(store.value("big"));
        assertEquals(List.of("batch 1"), store.requests);
    }

    @Test
    void transactionLargerThanOneBatchIsRejectedWhenItGrows() {
        for (int i = 0; i < InMemoryGateway.LIMITS.maxBatchSize(); i++) {
            tx.put("k" + i, b("v"));
        }
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> tx.put("one-more", b("v")));
        assertTrue(e.getMessage().contains("smaller transactions"), e.getMessage());
    }

    @Test
    void conditionalWritesAreCheckedAgainstWhatTheTransactionSees() {
        long v = store.externalPut("a", "1");
        assertThrows(ConditionFailedException.class, () -> tx.putIfAbsent("a", b("x")));
        assertThrows(ConditionFailedException.class, () -> tx.compareAndSet("a", v + 1, b("x")));
        assertThrows(ConditionFailedException.class, () -> tx.delete("absent", 3));
        tx.compareAndSet("a", v, b("2"));
        // The value the transaction itself wrote has the PENDING version.
        tx.compareAndSet("a", StoreConnection.PENDING, b("3"));
        assertEquals(StoreConnection.PENDING, tx.putIfAbsent("fresh", b("f")));
        tx.commit();
        assertEquals("3", store.value("a"));
        assertEquals("f", store.value("fresh"));
    }

    @Test
    void incrementReadsTheCounterAndConflictsWithAConcurrentIncrement() {
        store.externalPut("n", "10");
        assertEquals(15, tx.increment("n", 5));
        assertEquals(16, tx.increment("n", 1));
        assertEquals(3, tx.increment("fresh", 3));
        store.execute(new Operation.Increment("n", 100));
        assertThrows(TransactionConflictException.class, tx::commit);
        assertEquals("110", store.value("n"), "the concurrent increment survives; the transaction lost nothing of it");

        store.externalPut("text", "hello");
        BufferedTransaction other = new BufferedTransaction(store);
        assertThrows(NotACounterException.class, () -> other.increment("text", 1));
        store.externalPut("max", Long.toString(Long.MAX_VALUE));
        assertThrows(NotACounterException.class, () -> other.increment("max", 1));
        assertFalse(other.hasWrites());
    }

    @Test
    void batchInsideATransactionChecksConditionsNowAndBuffersAllOrNothing() {
        long v = store.externalPut("a", "1");
        store.externalPut("text", "hello");
        assertThrows(ConditionFailedException.class, () -> tx.batch(
                List.of(new Precondition.VersionEquals("a", v), new Precondition.Exists("missing")),
                List.of(new Operation.Put("b", b("x")))));
        assertThrows(NotACounterException.class, () -> tx.batch(List.of(),
                List.of(new Operation.Put("c", b("x")), new Operation.Increment("text", 1))));
        assertFalse(tx.hasWrites());

        assertEquals(StoreConnection.PENDING, tx.batch(List.of(new Precondition.VersionEquals("a", v), new Precondition.Absent("b")),
                List.of(new Operation.Put("b", b("x")), new Operation.Delete("a", null), new Operation.Increment("n", 2))));
        assertNull(read("a"));
        tx.commit();
        assertNull(store.value("a"));
        assertEquals("x", store.value("b"));
        assertEquals("2", store.value("n"));
    }

    @Test
    void scanMergesBufferedWritesAndKeepsTheLimit() {
        for (String k : List.of("p/1", "p/2", "p/3", "p/4")) {
            store.externalPut(k, k);
        }
        tx.delete("p/1");
        tx.delete("p/2");
        tx.put("p/0", b("new"));
        List<Versioned> page = tx.scan("p/", 3, LIN);
        assertEquals(List.of("p/0", "p/3", "p/4"), page.stream().map(Versioned::key).toList());
        assertTrue(page.get(0).pending());
    }

    @Test
    void unavailableStoreAtCommitPropagatesAndTheTransactionIsOver() {
        tx.put("a", b("1"));
        store.failNext(1, true);
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class, tx::commit);
        assertTrue(e.mayHaveTakenEffect());
        assertThrows(IllegalStateException.class, tx::commit);
    }

    @Test
    void validateNamesAChangedReadKeyWritesNothingAndLeavesTheTransactionOpen() {
        store.externalPut("a", "1");
        store.externalPut("b", "1");
        tx.get("a", LIN);
        tx.get("b", LIN);
        tx.put("c", b("x"));
        tx.validate();
        store.externalPut("b", "2");
        TransactionConflictException e = assertThrows(TransactionConflictException.class, tx::validate);
        assertEquals("b", e.key());
        assertEquals(0, store.writeRequests());
        tx.rollback();
        assertNull(store.value("c"));
    }

    /** Found before the commit, so that Liberty hands the conflict to the application (see StoreXAResource). */
    @Test
    void validateNamesAKeyHeldByAPreparedTransaction() {
        store.externalPut("a", "1");
        store.prepare("other", List.of(), List.of(new Operation.Put("c", b("y"))));
        tx.get("a", LIN);
        tx.put("c", b("x"));
        TransactionConflictException e = assertThrows(TransactionConflictException.class, tx::validate);
        assertEquals("c", e.key());
        assertTrue(e.getMessage().contains("'other'"), e.getMessage());
        store.rollbackPrepared("other");
        tx.validate();
    }

    @Test
    void validateAsksNothingOfATransactionThatOnlyReadsOrOnlyWrites() {
        store.externalPut("a", "1");
        tx.get("a", LIN);
        store.externalPut("a", "2");
        int before = store.requests.size();
        tx.validate();
        BufferedTransaction blind = new BufferedTransaction(store);
        blind.put("b", b("x"));
        blind.validate();
        assertEquals(before, store.requests.size(), "no round trip: nothing to check");
    }
}
