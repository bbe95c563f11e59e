package io.raftstore.arquillian;

import io.raftstore.api.StoreConnection;
import io.raftstore.api.StoreConnectionFactory;
import io.raftstore.api.TransactionConflictException;
import io.raftstore.api.Versioned;
import io.raftstore.arquillian.app.Chains;
import io.raftstore.arquillian.app.Interference;
import io.raftstore.arquillian.app.SecondDatabase;
import io.raftstore.arquillian.app.Transfers;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBTransactionRolledbackException;
import jakarta.inject.Inject;
import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.HeuristicRollbackException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JTA from inside the server, bean-managed ({@link UserTransaction}, as in a servlet or JAX-RS resource)
 * and container-managed (an EJB): commit makes every write visible at one log position, rollback leaves
 * nothing, a concurrent change of a key the transaction read is a rollback naming the conflict (never a
 * heuristic outcome), a read-only transaction commits without being checked, and next to a second XA
 * resource a transaction that writes to the store rolls back as a whole.
 */
@ExtendWith(ArquillianExtension.class)
class TransactionsIT {

    @Deployment
    static WebArchive deployment() {
        return Deployments.application("transactions");
    }

    @Inject
    UserTransaction tx;

    @Resource(lookup = "eis/raftstore")
    StoreConnectionFactory store;

    @EJB
    Transfers transfers;

    @EJB
    Interference interference;

    @EJB
    SecondDatabase database;

    /** A test that fails midway must not leave its transaction on the thread for the next one. */
    @AfterEach
    void noTransactionLeftOpen() throws Exception {
        if (tx.getStatus() != Status.STATUS_NO_TRANSACTION) {
            tx.rollback();
        }
    }

    private static String prefix() {
        return "tx-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    private Versioned read(String key) {
        try (StoreConnection c = store.getConnection()) {
            return c.get(key).orElse(null);
        }
    }

    @Test
    void userTransactionCommitsEveryWriteAtOneLogPosition() throws Exception {
        String p = prefix();
        tx.begin();
        try (StoreConnection c = store.getConnection()) {
            assertTrue(c.inTransaction());
            assertEquals(StoreConnection.PENDING, c.put(p + "a", "1"));
            c.put(p + "b", "2");
            assertEquals("1", c.getString(p + "a").orElseThrow(), "a transaction reads its own writes");
        }
        assertTrue(interference.get(p + "a").isEmpty(), "nothing is visible outside the transaction before commit");
        tx.commit();
        Versioned a = read(p + "a");
        Versioned b = read(p + "b");
        assertEquals("1", a.asString());
        assertEquals("2", b.asString());
        assertEquals(a.version(), b.version(), "both writes at one log position");
    }

    @Test
    void userTransactionRollbackLeavesNothing() throws Exception {
        String p = prefix();
        tx.begin();
        try (StoreConnection c = store.getConnection()) {
            c.put(p + "a", "1");
        }
        tx.rollback();
        assertNull(read(p + "a"));
    }

    @Test
    void aConflictAtUserTransactionCommitIsARollbackNamingTheConflict() throws Exception {
        String key = prefix() + "k";
        interference.put(key, "0");
        tx.begin();
        try (StoreConnection c = store.getConnection()) {
            String seen = c.getString(key).orElseThrow();
            interference.put(key, "changed by another writer");
            c.put(key, seen + "+");
        }
        Exception e = assertThrows(Exception.class, tx::commit);
        assertTrue(e instanceof RollbackException, "commit must roll back, not end with " + Chains.describe(e));
        assertNoHeuristic(e);
        TransactionConflictException conflict = Chains.find(e, TransactionConflictException.class);
        assertNotNull(conflict, "the rollback's causes name the conflict:" + Chains.describe(e));
        assertEquals(key, conflict.key());
        assertEquals("changed by another writer", read(key).asString(), "nothing of the transaction was written");
    }

    @Test
    void containerManagedCommitAndRollback() {
        String p = prefix();
        transfers.putAll(Map.of(p + "a", "1", p + "b", "2"));
        assertEquals(read(p + "a").version(), read(p + "b").version());

        assertThrows(Exception.class, () -> transfers.putAllThenFail(Map.of(p + "c", "3", p + "d", "4")));
        assertNull(read(p + "c"));
        assertNull(read(p + "d"));
    }

    @Test
    void aConflictAtContainerCommitIsATransactionRollbackNamingTheConflict() {
        String key = prefix() + "k";
        interference.put(key, "0");
        Exception e = assertThrows(Exception.class, () -> transfers.appendAfterInterference(key));
        assertTrue(e instanceof EJBTransactionRolledbackException, "got" + Chains.describe(e));
        assertNoHeuristic(e);
        assertNotNull(Chains.find(e, RollbackException.class), Chains.describe(e));
        TransactionConflictException conflict = Chains.find(e, TransactionConflictException.class);
        assertNotNull(conflict, "the rollback's causes name the conflict:" + Chains.describe(e));
        assertEquals("changed by another writer", read(key).asString());
    }

    /** Documented: a transaction without writes proposes nothing and is not checked at commit. */
    @Test
    void aReadOnlyTransactionCommitsWithoutBeingChecked() throws Exception {
        String key = prefix() + "k";
        interference.put(key, "0");
        tx.begin();
        try (StoreConnection c = store.getConnection()) {
            assertEquals("0", c.getString(key).orElseThrow());
            interference.put(key, "1");
            assertEquals("0", c.getString(key).orElseThrow(), "reads repeat inside a transaction");
        }
        tx.commit();
        assertEquals("1", read(key).asString());
    }

    @Test
    void nextToAnXaDatabaseAStoreWriteRollsBackBothAndAStoreReadCommits() throws Exception {
        database.createTable();
        String p = prefix();
        Exception e = assertThrows(Exception.class, () -> transfers.putAndInsert(p + "both", "x", true));
        assertTrue(e instanceof EJBTransactionRolledbackException, "got" + Chains.describe(e));
        assertNoHeuristic(e);
        assertNull(read(p + "both"));
        assertTrue(database.value(p + "both").isEmpty(), "the database rolled back too");

        transfers.putAndInsert(p + "read", "y", false);
        assertEquals("y", database.value(p + "read").orElseThrow(), "a read-only store part votes read-only");
    }

    private static void assertNoHeuristic(Exception e) {
        assertNull(Chains.find(e, HeuristicMixedException.class), "a heuristic outcome:" + Chains.describe(e));
        assertNull(Chains.find(e, HeuristicRollbackException.class), "a heuristic outcome:" + Chains.describe(e));
    }
}
