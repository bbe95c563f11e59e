package io.raftstore.jca;

import io.raftstore.api.StoreException;
import io.raftstore.jca.session.StoreSession;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.LocalTransactionException;

/**
 * How the container drives a connection's transaction at {@code transactionSupportLevel=LocalTransaction}.
 * In a JTA transaction the container enlists this as a one-phase resource: begin when the connection
 * joins, commit (one atomic batch) or rollback when the transaction completes. A failed commit surfaces as
 * {@link LocalTransactionException} whose cause is the API's exception (e.g.
 * {@code TransactionConflictException}); Liberty turns that into a heuristic outcome (XA_HEURHAZ, then
 * {@code HeuristicMixedException}) whatever the cause, which is why XA is the default level.
 */
final class StoreLocalTransaction implements LocalTransaction {

    private final StoreSession session;

    StoreLocalTransaction(StoreSession session) {
        this.session = session;
    }

    @Override
    public void begin() throws ResourceException {
        try {
            session.begin();
        } catch (IllegalStateException | StoreException e) {
            throw wrap("could not begin", e);
        }
    }

    @Override
    public void commit() throws ResourceException {
        try {
            session.commit();
        } catch (IllegalStateException | StoreException e) {
            throw wrap("commit failed", e);
        }
    }

    @Override
    public void rollback() throws ResourceException {
        try {
            session.rollback();
        } catch (IllegalStateException e) {
            throw wrap("rollback failed", e);
        }
    }

    private static LocalTransactionException wrap(String what, RuntimeException e) {
        LocalTransactionException l = new LocalTransactionException("RaftStore transaction " + what + ": " + e.getMessage());
        l.initCause(e);
        return l;
    }
}
