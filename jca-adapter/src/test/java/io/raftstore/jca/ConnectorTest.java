package io.raftstore.jca;

import io.raftstore.api.KeyHeldException;
import io.raftstore.api.ReadConsistency;
import io.raftstore.api.StoreConnection;
import io.raftstore.api.StoreConnectionFactory;
import io.raftstore.api.StoreUnavailableException;
import io.raftstore.api.TransactionConflictException;
import io.raftstore.api.ValueTooLargeException;
import io.raftstore.api.Versioned;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.PreparedTransaction;
import io.raftstore.api.spi.StoreGatewayRegistry;
import io.raftstore.jca.session.InMemoryGateway;
import jakarta.resource.NotSupportedException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.LocalTransactionException;
import jakarta.resource.spi.TransactionSupport.TransactionSupportLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JCA layer over a fake node registered in the registry, driven as a container would drive it. */
class ConnectorTest {

    private final InMemoryGateway store = new InMemoryGateway();
    private final StoreManagedConnectionFactory mcf = new StoreManagedConnectionFactory();

    @BeforeEach
    void register() {
        StoreGatewayRegistry.register(store);
    }

    @AfterEach
    void unregister() {
        StoreGatewayRegistry.unregister(store);
    }

    @Test
    void unmanagedConnectionRoundTripsEveryOperation() {
        StoreConnectionFactory factory = (StoreConnectionFactory) mcf.createConnectionFactory();
        try (StoreConnection c = factory.getConnection()) {
            assertFalse(c.inTransaction());
            long v1 = c.put("a", "one");
            assertEquals(v1, c.get("a").orElseThrow().version());
            assertEquals("one", c.getString("a").orElseThrow());
            long v2 = c.compareAndSet("a", v1, "two");
            assertTrue(v2 > v1);
            c.putIfAbsent("b", "bee");
            assertEquals(7, c.increment("n", 7));
            long index = c.batch().requireVersion("a", v2).requireAbsent("c").put("c", "sea").delete("b").commit();
            assertEquals(index, c.get("c", ReadConsistency.STALE).orElseThrow().version());
            assertEquals(List.of("a", "c", "n"), c.scan("", 10).stream().map(Versioned::key).toList());
            assertTrue(c.delete("c"));
            c.delete("a", v2);
            assertTrue(c.get("a").isEmpty());
            assertThrows(ValueTooLargeException.class, () -> c.put("big", new byte[InMemoryGateway.LIMITS.maxValueBytes() + 1]));
        }
    }

    @Test
    void closedHandleRefusesWorkAndTellsTheContainer() throws Exception {
        StoreManagedConnection mc = (StoreManagedConnection) mcf.createManagedConnection(null, null);
        List<Integer> events = new ArrayList<>();
        mc.addConnectionEventListener(recorder(events));
        StoreConnection c = (StoreConnection) mc.getConnection(null, null);
        c.close();
        c.close();
        assertEquals(List.of(ConnectionEvent.CONNECTION_CLOSED), events);
        assertThrows(IllegalStateException.class, () -> c.get("a"));
    }

    @Test
    void localTransactionBuffersUntilCommit() throws Exception {
        StoreManagedConnection mc = (StoreManagedConnection) mcf.createManagedConnection(null, null);
        StoreConnection c = (StoreConnection) mc.getConnection(null, null);
        LocalTransaction tx = mc.getLocalTransaction();
        tx.begin();
        assertTrue(c.inTransaction());
        assertEquals(StoreConnection.PENDING, c.put("a", "1"));
        assertEquals("1", c.getString("a").orElseThrow());
        assertNull(store.value("a"));
        tx.commit();
        assertFalse(c.inTransaction());
        assertEquals("1", store.value("a"));

        tx.begin();
        c.put("b", "2");
        tx.rollback();
        assertNull(store.value("b"));
    }

    @Test
    void conflictingCommitFailsWithTheConflictAsCause() throws Exception {
        store.externalPut("k", "1");
        StoreManagedConnection mc = (StoreManagedConnection) mcf.createManagedConnection(null, null);
        StoreConnection c = (StoreConnection) mc.getConnection(null, null);
        LocalTransaction tx = mc.getLocalTransaction();
        tx.begin();
        c.put("k", c.getString("k").orElseThrow() + "+");
        store.externalPut("k", "other");
        LocalTransactionException e = assertThrows(LocalTransactionException.class, tx::commit);
        assertInstanceOf(TransactionConflictException.class, e.getCause());
        assertEquals("other", store.value("k"));
        assertFalse(c.inTransaction(), "a failed commit ends the transaction");
    }

    @Test
    void xaResourceCommitsOnePhaseAndVotesReadOnlyWithoutWrites() throws Exception {
        assertEquals(TransactionSupportLevel.XATransaction, mcf.getTransactionSupport());
        StoreManagedConnection mc = (StoreManagedConnection) mcf.createManagedConnection(null, null);
        StoreConnection c = (StoreConnection) mc.getConnection(null, null);
        XAResource xa = mc.getXAResource();

        Xid one = new TestXid(1);
        xa.start(one, XAResource.TMNOFLAGS);
        c.put("x", "1");
        xa.end(one, XAResource.TMSUCCESS);
        xa.commit(one, true);
        assertEquals("1", store.value("x"));

        Xid busy = new TestXid(9);
        xa.start(busy, XAResource.TMNOFLAGS);
        XAException twice = assertThrows(XAException.class, () -> xa.start(new TestXid(10), XAResource.TMNOFLAGS));
        assertEquals(XAException.XAER_PROTO, twice.errorCode);
        xa.rollback(busy);

        Xid three = new TestXid(3);
        xa.start(three, XAResource.TMNOFLAGS);
        c.get("x");
        xa.end(three, XAResource.TMSUCCESS);
        assertEquals(XAResource.XA_RDONLY, xa.prepare(three));
        assertFalse(c.inTransaction());
        assertEquals(0, store.preparedTransactions().size(), "a read-only branch prepares nothing");
    }

    @Test
    void twoPhaseCommitHoldsEveryKeyFromPrepareToCommit() throws Exception {
        store.externalPut("read", "r");
        StoreManagedConnection mc = (StoreManagedConnection) mcf.createManagedConnection(null, null);
        StoreConnection c = (StoreConnection) mc.getConnection(null, null);
        XAResource xa = mc.getXAResource();
        Xid xid = new TestXid(2);
        xa.start(xid, XAResource.TMNOFLAGS);
        c.get("read");
        c.put("y", "1");
        xa.end(xid, XAResource.TMSUCCESS);
        assertEquals(XAResource.XA_OK, xa.prepare(xid));
        assertFalse(c.inTransaction(), "the connection is free for the next transaction");
        assertNull(store.value("y"), "nothing is written before the second phase");
        KeyHeldException held = assertThrows(KeyHeldException.class, () -> store.execute(new Operation.Put("read", new byte[1])));
        assertEquals(TransactionIds.of(xid), held.transactionId());
        assertEquals(List.of(TransactionIds.of(xid)), ids(xa.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)));

        xa.commit(xid, false);
        assertEquals("1", store.value("y"));
        assertEquals(0, store.preparedTransactions().size());
        assertEquals(0, StoreXAResource.gate().held());
        XAException again = assertThrows(XAException.class, () -> xa.commit(xid, false));
        assertEquals(XAException.XAER_NOTA, again.errorCode, "a repeated commit finds nothing to do");
        store.execute(new Operation.Put("read", new byte[1]));
    }

    @Test
    void rollbackAfterPrepareReleasesTheKeysAndWritesNothing() throws Exception {
        StoreManagedConnection mc = (StoreManagedConnection) mcf.createManagedConnection(null, null);
        StoreConnection c = (StoreConnection) mc.getConnection(null, null);
        XAResource xa = mc.getXAResource();
        Xid xid = new TestXid(11);
        xa.start(xid, XAResource.TMNOFLAGS);
        c.put("y", "1");
        xa.end(xid, XAResource.TMSUCCESS);
        xa.prepare(xid);
        xa.rollback(xid);
        assertNull(store.value("y"));
        assertEquals(0, store.preparedTransactions().size());
        assertEquals(0, StoreXAResource.gate().held());
        store.execute(new Operation.Put("y", new byte[1]));
    }

    /** After a crash the manager asks any resource of the adapter for the in-doubt branches and resolves them. */
    @Test
    void recoveryFindsAndCommitsABranchPreparedByAnotherResource() throws Exception {
        store.prepare("not-an-xid", List.of(), List.of(new Operation.Put("other", new byte[1])));
        StoreManagedConnection mc = (StoreManagedConnection) mcf.createManagedConnection(null, null);
        StoreConnection c = (StoreConnection) mc.getConnection(null, null);
        XAResource xa = mc.getXAResource();
        Xid xid = new TestXid(12);
        xa.start(xid, XAResource.TMNOFLAGS);
        c.put("y", "1");
        xa.end(xid, XAResource.TMSUCCESS);
        xa.prepare(xid);

        XAResource recovering = ((StoreManagedConnection) mcf.createManagedConnection(null, null)).getXAResource();
        Xid[] found = recovering.recover(XAResource.TMSTARTRSCAN);
        assertEquals(List.of(TransactionIds.of(xid)), ids(found), "only the adapter's own ids are Xids");
        assertEquals(0, recovering.recover(XAResource.TMENDRSCAN).length, "the whole list came at the start");
        recovering.commit(found[0], false);
        assertEquals("1", store.value("y"));
        assertEquals(List.of("not-an-xid"), store.preparedTransactions().stream().map(PreparedTransaction::id).toList());
        store.rollbackPrepared("not-an-xid");
    }

    /** A change after end() is found by the prepare itself: the branch rolls back, naming the conflict. */
    @Test
    void aConflictAtPrepareIsRollbackWithTheConflictAsCause() throws Exception {
        store.externalPut("k", "1");
        StoreManagedConnection mc = (StoreManagedConnection) mcf.createManagedConnection(null, null);
        StoreConnection c = (StoreConnection) mc.getConnection(null, null);
        XAResource xa = mc.getXAResource();
        Xid xid = new TestXid(13);
        xa.start(xid, XAResource.TMNOFLAGS);
        c.put("k", c.getString("k").orElseThrow() + "+");
        xa.end(xid, XAResource.TMSUCCESS);
        store.externalPut("k", "late");
        XAException e = assertThrows(XAException.class, () -> xa.prepare(xid));
        assertEquals(XAException.XA_RBROLLBACK, e.errorCode);
        assertEquals("k", assertInstanceOf(TransactionConflictException.class, e.getCause()).key());
        xa.rollback(xid);
        assertEquals("late", store.value("k"));
        assertEquals(0, store.preparedTransactions().size());
        assertEquals(0, StoreXAResource.gate().held());
    }

    /**
     * A key held by another prepared transaction (of another server, say) is a conflict: found at end() when
     * the transaction read something (Liberty passes that cause on to the application), else at prepare.
     */
    @Test
    void aKeyHeldByAnotherPreparedTransactionIsAConflictAtEndOrAtPrepare() throws Exception {
        store.externalPut("k", "1");
        store.prepare("elsewhere", List.of(), List.of(new Operation.Put("k", new byte[1])));
        StoreManagedConnection mc = (StoreManagedConnection) mcf.createManagedConnection(null, null);
        StoreConnection c = (StoreConnection) mc.getConnection(null, null);
        XAResource xa = mc.getXAResource();
        Xid reading = new TestXid(14);
        xa.start(reading, XAResource.TMNOFLAGS);
        c.put("k", c.getString("k").orElseThrow() + "+");
        XAException atEnd = assertThrows(XAException.class, () -> xa.end(reading, XAResource.TMSUCCESS));
        assertEquals(XAException.XA_RBROLLBACK, atEnd.errorCode);
        TransactionConflictException conflict = assertInstanceOf(TransactionConflictException.class, atEnd.getCause());
        assertEquals("k", conflict.key());
        assertTrue(conflict.getMessage().contains("'elsewhere'"), conflict.getMessage());
        xa.rollback(reading);

        Xid blind = new TestXid(17);
        xa.start(blind, XAResource.TMNOFLAGS);
        c.put("k", "blind");
        xa.end(blind, XAResource.TMSUCCESS);
        XAException atPrepare = assertThrows(XAException.class, () -> xa.prepare(blind));
        assertEquals(XAException.XA_RBROLLBACK, atPrepare.errorCode);
        assertEquals("k", assertInstanceOf(TransactionConflictException.class, atPrepare.getCause()).key());
        xa.rollback(blind);
        store.rollbackPrepared("elsewhere");
        assertEquals("1", store.value("k"));
        assertEquals(0, StoreXAResource.gate().held());
    }

    @Test
    void aStoreWithoutQuorumAtPrepareIsRollbackAndInPhaseTwoARetryableFailure() throws Exception {
        mcf.setRequestTimeoutMillis(0L);
        StoreManagedConnection mc = (StoreManagedConnection) mcf.createManagedConnection(null, null);
        StoreConnection c = (StoreConnection) mc.getConnection(null, null);
        XAResource xa = mc.getXAResource();
        Xid first = new TestXid(15);
        xa.start(first, XAResource.TMNOFLAGS);
        c.put("y", "1");
        xa.end(first, XAResource.TMSUCCESS);
        store.failNext(1, false);
        XAException e = assertThrows(XAException.class, () -> xa.prepare(first));
        assertEquals(XAException.XA_RBCOMMFAIL, e.errorCode);
        assertInstanceOf(StoreUnavailableException.class, e.getCause());
        xa.rollback(first);
        assertEquals(0, store.preparedTransactions().size());

        Xid second = new TestXid(16);
        xa.start(second, XAResource.TMNOFLAGS);
        c.put("y", "2");
        xa.end(second, XAResource.TMSUCCESS);
        xa.prepare(second);
        store.failNext(1, true);
        XAException unavailable = assertThrows(XAException.class, () -> xa.commit(second, false));
        assertEquals(XAException.XAER_RMFAIL, unavailable.errorCode, "the manager retries the commit later");
        assertEquals(1, store.preparedTransactions().size(), "the keys stay held until it does");
        xa.commit(second, false);
        assertEquals("2", store.value("y"));
    }

    private static List<String> ids(Xid[] xids) {
        return Arrays.stream(xids).map(TransactionIds::of).toList();
    }

    @Test
    void xaIsTheDefaultAndLocalTransactionTurnsItOff() throws Exception {
        assertEquals(TransactionSupportLevel.XATransaction, mcf.getTransactionSupport());
        mcf.setTransactionSupportLevel("LocalTransaction");
        StoreManagedConnection mc = (StoreManagedConnection) mcf.createManagedConnection(null, null);
        assertThrows(NotSupportedException.class, mc::getXAResource);
    }

    /** Liberty passes an XA_RB* of end() on as the RollbackException's cause (of a commit's, it does not). */
    @Test
    void aConflictIsFoundAtEndAsRollbackWithTheConflictAsCause() throws Exception {
        store.externalPut("k", "1");
        StoreManagedConnection mc = (StoreManagedConnection) mcf.createManagedConnection(null, null);
        StoreConnection c = (StoreConnection) mc.getConnection(null, null);
        XAResource xa = mc.getXAResource();
        Xid xid = new TestXid(4);
        xa.start(xid, XAResource.TMNOFLAGS);
        c.put("k", c.getString("k").orElseThrow() + "+");
        store.externalPut("k", "other");
        int writesBefore = store.writeRequests();
        XAException e = assertThrows(XAException.class, () -> xa.end(xid, XAResource.TMSUCCESS));
        assertEquals(XAException.XA_RBROLLBACK, e.errorCode);
        TransactionConflictException conflict = assertInstanceOf(TransactionConflictException.class, e.getCause());
        assertEquals("k", conflict.key());
        assertEquals(writesBefore, store.writeRequests(), "the check writes nothing");
        assertFalse(c.inTransaction());
        xa.rollback(xid);
        assertEquals("other", store.value("k"));
    }

    @Test
    void endWithoutAConflictLeavesTheCommitToDoTheWork() throws Exception {
        store.externalPut("k", "1");
        StoreManagedConnection mc = (StoreManagedConnection) mcf.createManagedConnection(null, null);
        StoreConnection c = (StoreConnection) mc.getConnection(null, null);
        XAResource xa = mc.getXAResource();
        Xid xid = new TestXid(5);
        xa.start(xid, XAResource.TMNOFLAGS);
        c.put("k", c.getString("k").orElseThrow() + "+");
        xa.end(xid, XAResource.TMSUCCESS);
        assertEquals("1", store.value("k"));
        store.externalPut("k", "late");
        XAException e = assertThrows(XAException.class, () -> xa.commit(xid, true));
        assertEquals(XAException.XA_RBROLLBACK, e.errorCode, "a change after end still fails the commit");
        assertEquals("late", store.value("k"));
    }

    @Test
    void noNodeMeansUnavailableWithinTheTimeout() {
        StoreGatewayRegistry.unregister(store);
        mcf.setRequestTimeoutMillis(200L);
        StoreConnectionFactory factory = (StoreConnectionFactory) mcf.createConnectionFactory();
        long start = System.nanoTime();
        try (StoreConnection c = factory.getConnection()) {
            StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> c.put("a", "1"));
            assertFalse(e.mayHaveTakenEffect());
            assertTrue(e.getMessage().contains("Retry after"), e.getMessage());
        }
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis >= 150 && tookMillis < 2000, "took " + tookMillis + " ms");
    }

    @Test
    void badPropertiesFailAtDeployment() {
        mcf.setDefaultReadConsistency("eventually");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mcf.createConnectionFactory());
        assertTrue(e.getMessage().contains("LINEARIZABLE, LEASE or STALE"), e.getMessage());
        mcf.setDefaultReadConsistency("stale");
        mcf.createConnectionFactory();
        assertEquals(ReadConsistency.STALE, mcf.settings().readConsistency());
    }

    private static ConnectionEventListener recorder(List<Integer> events) {
        return new ConnectionEventListener() {
            @Override
            public void connectionClosed(ConnectionEvent event) {
                events.add(event.getId());
            }

            @Override
            public void localTransactionStarted(ConnectionEvent event) {
            }

            @Override
            public void localTransactionCommitted(ConnectionEvent event) {
            }

            @Override
            public void localTransactionRolledback(ConnectionEvent event) {
            }

            @Override
            public void connectionErrorOccurred(ConnectionEvent event) {
            }
        };
    }

    private record TestXid(int id) implements Xid {
        @Override
        public int getFormatId() {
            return 1;
        }

        @Override
        public byte[] getGlobalTransactionId() {
            return new byte[] {(byte) id};
        }

        @Override
        public byte[] getBranchQualifier() {
            return new byte[] {1};
        }
    }

    @Test
    void aStoreWithoutQuorumAtEndIsRollbackWithTheUnavailabilityAsCause() throws Exception {
        store.externalPut("k", "1");
        mcf.setRequestTimeoutMillis(0L);
        StoreManagedConnection mc = (StoreManagedConnection) mcf.createManagedConnection(null, null);
        StoreConnection c = (StoreConnection) mc.getConnection(null, null);
        XAResource xa = mc.getXAResource();
        Xid xid = new TestXid(6);
        xa.start(xid, XAResource.TMNOFLAGS);
        c.put("k", c.getString("k").orElseThrow() + "+");
        store.failNext(1, false);
        XAException e = assertThrows(XAException.class, () -> xa.end(xid, XAResource.TMSUCCESS));
        assertEquals(XAException.XA_RBCOMMFAIL, e.errorCode);
        assertInstanceOf(StoreUnavailableException.class, e.getCause());
        xa.rollback(xid);
        assertEquals("1", store.value("k"));
        assertEquals(0, StoreXAResource.gate().held());
    }

    /** Two transactions of one server that read the same key: the second finds the first's change at end(). */
    @Test
    void theSecondOfTwoTransactionsOnOneKeyFindsTheConflictAtEndNotAtCommit() throws Exception {
        store.externalPut("k", "0");
        StoreManagedConnection mc1 = (StoreManagedConnection) mcf.createManagedConnection(null, null);
        StoreManagedConnection mc2 = (StoreManagedConnection) mcf.createManagedConnection(null, null);
        StoreConnection c1 = (StoreConnection) mc1.getConnection(null, null);
        StoreConnection c2 = (StoreConnection) mc2.getConnection(null, null);
        XAResource xa1 = mc1.getXAResource();
        XAResource xa2 = mc2.getXAResource();
        Xid x1 = new TestXid(7);
        Xid x2 = new TestXid(8);
        xa1.start(x1, XAResource.TMNOFLAGS);
        xa2.start(x2, XAResource.TMNOFLAGS);
        c1.put("k", c1.getString("k").orElseThrow() + "1");
        c2.put("k", c2.getString("k").orElseThrow() + "2");
        xa1.end(x1, XAResource.TMSUCCESS);
        CompletableFuture<XAException> second = new CompletableFuture<>();
        Thread ending = new Thread(() -> {
            try {
                xa2.end(x2, XAResource.TMSUCCESS);
                second.complete(null);
            } catch (XAException e) {
                second.complete(e);
            }
        });
        ending.start();
        // The second end() must wait for the first transaction's commit (without the gate it returns at once).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ending.getState() != Thread.State.TIMED_WAITING && !second.isDone() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertFalse(second.isDone(), "the second transaction passed its check while the first had not committed");
        xa1.commit(x1, true);
        XAException e = second.get(10, TimeUnit.SECONDS);
        assertNotNull(e, "the second transaction's check missed the first one's commit");
        assertEquals(XAException.XA_RBROLLBACK, e.errorCode);
        assertInstanceOf(TransactionConflictException.class, e.getCause());
        xa2.rollback(x2);
        assertEquals("01", store.value("k"));
        assertEquals(0, StoreXAResource.gate().held());
    }
}
