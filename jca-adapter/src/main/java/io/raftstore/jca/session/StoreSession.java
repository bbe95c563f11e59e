package io.raftstore.jca.session;

import io.raftstore.api.spi.StoreGateway;

import java.util.Set;

/**
 * The state of one managed connection: outside a transaction its calls auto-commit; between
 * {@link #begin()} and {@link #commit()}/{@link #rollback()} they go to a {@link BufferedTransaction}.
 * The JCA layer (local transaction or XA resource) drives the transaction boundaries.
 */
public final class StoreSession {

    private final StoreGateway gateway;
    private BufferedTransaction transaction;

    public StoreSession(StoreGateway gateway) {
        this.gateway = gateway;
    }

    /** Where the next call goes. */
    public KeyValueOperations operations() {
        BufferedTransaction tx = transaction;
        return tx != null ? tx : new AutoCommitOperations(gateway);
    }

    public boolean inTransaction() {
        return transaction != null;
    }

    /** @throws IllegalStateException when a transaction is already active (JCA forbids nesting) */
    public void begin() {
        if (transaction != null) {
            throw new IllegalStateException("a transaction is already active on this connection");
        }
        transaction = new BufferedTransaction(gateway);
    }

    /** Commits and ends the transaction; it ends even when the commit fails (nothing was written then). */
    public void commit() {
        BufferedTransaction tx = end();
        tx.commit();
    }

    /**
     * Prepares and ends the transaction (see {@link BufferedTransaction#prepare}); it ends even when the
     * prepare fails (nothing was prepared then).
     *
     * @return false when the transaction had nothing to write, so nothing was prepared
     */
    public boolean prepare(String transactionId) {
        return end().prepare(transactionId);
    }

    /**
     * Fails early, writing nothing, when the active transaction already conflicts (see
     * {@link BufferedTransaction#validate()}); the transaction stays active for its owner to roll back.
     */
    public void validate() {
        BufferedTransaction tx = transaction;
        if (tx == null) {
            throw new IllegalStateException("no transaction is active on this connection");
        }
        tx.validate();
    }

    public void rollback() {
        end().rollback();
    }

    /** Drops an active transaction without committing, e.g. when the container cleans the connection up. */
    public void discard() {
        if (transaction != null) {
            rollback();
        }
    }

    /** The keys the active transaction read or wrote; empty without one. */
    public Set<String> keys() {
        return transaction == null ? Set.of() : transaction.keys();
    }

    /** True when the active transaction has writes to commit. */
    public boolean hasWrites() {
        return transaction != null && transaction.hasWrites();
    }

    private BufferedTransaction end() {
        BufferedTransaction tx = transaction;
        if (tx == null) {
            throw new IllegalStateException("no transaction is active on this connection");
        }
        transaction = null;
        return tx;
    }
}
