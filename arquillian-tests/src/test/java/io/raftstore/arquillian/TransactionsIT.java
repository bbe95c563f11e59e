package io.raftstore.arquillian;

import io.raftstore.api.StoreConnection;
import io.raftstore.api.StoreConnectionFactory;
import io.raftstore.api.TransactionConflictException;
import io.raftstore.api.Versioned;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.PreparedTransaction;
import io.raftstore.api.spi.StoreGatewayRegistry;
import io.raftstore.arquillian.app.Chains;
import io.raftstore.arquillian.app.Interference;
import io.raftstore.arquillian.app.SecondDatabase;
import io.raftstore.arquillian.app.ServerHttp;
import io.raftstore.arquillian.app.TestTransactions;
import io.raftstore.arquillian.app.Transfers;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBTransactionRolledbackException;
import jakarta.inject.Inject;
import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.HeuristicRollbackException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.UserTransaction;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

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
 * resource (an H2 XA data source) both commit in two phases, a key held by another prepared transaction
 * rolls back both naming the conflict, and a database failure after the store prepared releases the
 * store's keys.
 */
@ExtendWith(ArquillianExtension.class)
@OneNodeSuite
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

    @Resource(lookup = "jdbc/second")
    DataSource dataSource;

    /** A test that fails midway must not leave its transaction on the thread for the next one. */
    @AfterEach
    void noTransactionLeftOpen() throws Exception {
        TestTransactions.rollbackIfOpen(tx);
    }

    private static String prefix() {
        return TestTransactions.uniquePrefix("tx");
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
    void nextToAnXaDatabaseBothCommitInTwoPhases() throws Exception {
        database.createTable();
        String p = prefix();
        transfers.putAndInsert(p + "both", "x", true);
        assertEquals("x", read(p + "both").asString());
        assertEquals("x", database.value(p + "both").orElseThrow(), "the database committed too");
        assertTrue(preparedIds().isEmpty(), "the store's prepared transaction is committed and gone");

        transfers.putAndInsert(p + "read", "y", false);
        assertEquals("y", database.value(p + "read").orElseThrow(), "a read-only store part votes read-only");
    }

    /**
     * A key held by another prepared transaction (as by another server's transaction manager, between its
     * prepare and its commit): both resources roll back and the application gets a RollbackException naming
     * the conflict. The adapter finds the held key at end(), before any prepare: Liberty drops the cause of a
     * failed prepare (as of a failed one-phase commit) and keeps only that of end().
     */
    @Test
    void aKeyHeldByAnotherPreparedTransactionRollsBackBothNamingTheConflict() throws Exception {
        database.createTable();
        String key = prefix() + "k";
        interference.put(key, "0");
        String holder = "test-holder-" + UUID.randomUUID();
        StoreGatewayRegistry.current().prepare(holder, List.of(), List.of(new Operation.Put(key, new byte[1])));
        try {
            tx.begin();
            try (StoreConnection c = store.getConnection()) {
                c.put(key, c.getString(key).orElseThrow() + "+");
                insert(key, "row");
            }
            Exception e = assertThrows(Exception.class, tx::commit);
            assertTrue(e instanceof RollbackException, "commit must roll back, not end with " + Chains.describe(e));
            assertNoHeuristic(e);
            TransactionConflictException conflict = Chains.find(e, TransactionConflictException.class);
            assertNotNull(conflict, "the rollback's causes name the conflict:" + Chains.describe(e));
            assertEquals(key, conflict.key());
            assertTrue(conflict.getMessage().contains(holder), conflict.getMessage());
            assertTrue(database.value(key).isEmpty(), "the database rolled back too");
        } finally {
            StoreGatewayRegistry.current().rollbackPrepared(holder);
        }
        assertEquals("0", read(key).asString());
    }

    /**
     * The database fails after RaftStore prepared (its session is closed under it, so its prepare fails):
     * the manager rolls RaftStore back too, which releases the keys without writing them. Liberty prepares
     * the resource enlisted last first, so the store is used after the database here. H2 reports the failed
     * prepare with error code 0, which Liberty answers with a SystemException rather than a
     * RollbackException; what matters here is the store's side.
     */
    @Test
    void aDatabaseFailureAfterTheStorePreparedReleasesTheStoresKeys() throws Exception {
        database.createTable();
        String key = prefix() + "k";
        long before = commitIndex();
        tx.begin();
        int session = insert(key, "row");
        database.abortSession(session);
        try (StoreConnection c = store.getConnection()) {
            c.put(key, "never");
        }
        Exception e = assertThrows(Exception.class, tx::commit);
        assertNotNull(Chains.find(e, SQLException.class), "the database's failure: " + Chains.describe(e));
        assertNull(read(key), "nothing of the transaction was written");
        assertTrue(database.value(key).isEmpty());
        assertTrue(preparedIds().isEmpty(), "the store holds no key for the transaction");
        long after = commitIndex();
        assertTrue(after >= before + 2, "RaftStore prepared (one log entry), then rolled back (another): log index "
                + before + " before, " + after + " after");
        try (StoreConnection c = store.getConnection()) {
            c.put(key, "free"); // a held key would fail (after retrying for the request timeout)
        }
    }

    /** Inserts a row through the transaction's database connection; returns that connection's H2 session id. */
    private int insert(String key, String value) throws SQLException {
        try (Connection db = dataSource.getConnection();
             PreparedStatement insert = db.prepareStatement("INSERT INTO rows_written (k, v) VALUES (?, ?)");
             Statement query = db.createStatement()) {
            insert.setString(1, key);
            insert.setString(2, value);
            insert.executeUpdate();
            try (ResultSet r = query.executeQuery("SELECT SESSION_ID()")) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private static List<String> preparedIds() {
        return StoreGatewayRegistry.current().preparedTransactions().stream().map(PreparedTransaction::id).toList();
    }

    private static long commitIndex() throws Exception {
        return ServerHttp.get("api/cluster/status").json().getJsonNumber("commitIndex").longValue();
    }

    private static void assertNoHeuristic(Exception e) {
        assertNull(Chains.find(e, HeuristicMixedException.class), "a heuristic outcome:" + Chains.describe(e));
        assertNull(Chains.find(e, HeuristicRollbackException.class), "a heuristic outcome:" + Chains.describe(e));
    }
}
