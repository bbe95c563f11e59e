package io.raftstore.jca;

import io.raftstore.api.StoreException;
import io.raftstore.api.StoreUnavailableException;
import io.raftstore.api.TransactionConflictException;
import io.raftstore.jca.session.StoreSession;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The connection as an XA resource that supports only one-phase commit (when it is the transaction's only
 * resource, the manager commits it with {@code onePhase = true}); the default way a connection joins a JTA
 * transaction. It cannot hold a prepared state: a batch is either proposed or not. So {@link #prepare}
 * votes read-only for a transaction without writes and rolls back (and says so) a transaction with writes:
 * next to another XA resource the whole transaction fails rather than risking a half-committed outcome.
 * Use the LocalTransaction level to be the last participant instead (with its heuristic reports).
 */
final class OnePhaseXAResource implements XAResource {

    /** One per adapter, so per server: the transactions of all connection factories share it. */
    private static final CommitGate GATE = new CommitGate();

    private final StoreSession session;
    private final long gateTimeoutMillis;
    private Xid current;

    /** @param gateTimeoutMillis how long end() waits for other transactions of shared keys to finish committing */
    OnePhaseXAResource(StoreSession session, long gateTimeoutMillis) {
        this.session = session;
        this.gateTimeoutMillis = gateTimeoutMillis;
    }

    static CommitGate gate() {
        return GATE;
    }

    @Override
    public void start(Xid xid, int flags) throws XAException {
        if (flags == TMJOIN || flags == TMRESUME) {
            if (!xid.equals(current)) {
                throw error(XAException.XAER_NOTA, "unknown transaction " + xid, null);
            }
            return;
        }
        if (current != null || session.inTransaction()) {
            // One connection, one transaction: JCA never enlists a connection in two at once.
            throw error(XAException.XAER_PROTO, "this connection is already in a transaction", null);
        }
        session.begin();
        current = xid;
    }

    /**
     * At a successful end the transaction's reads are checked (one quorum round, only when it has writes):
     * a conflict found here is XA_RBROLLBACK with the {@link TransactionConflictException} as cause, and
     * Liberty makes exactly that exception the cause of the application's {@code RollbackException}. It does
     * not do so for a failed commit (the cause stays in the server log), and it reports every failed
     * one-phase commit of a LocalTransaction resource as a heuristic outcome; so this is where a conflict
     * must surface. For the same reason a store without quorum is found here (XA_RBCOMMFAIL with the
     * {@link StoreUnavailableException} as cause; nothing was written). Transactions of this server that
     * share a key pass from this check to the end of their commit one at a time ({@link CommitGate}), so
     * the second finds the first one's change here rather than in its commit. Buffered writes stay with the
     * session until commit or rollback.
     */
    @Override
    public void end(Xid xid, int flags) throws XAException {
        check(xid);
        if (flags != TMSUCCESS || !session.hasWrites()) {
            return;
        }
        try {
            // Not entered in time: go on without it; the commit's conditions still decide.
            GATE.enter(session.keys(), this, gateTimeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            session.validate();
        } catch (TransactionConflictException e) {
            throw rolledBackAtEnd(XAException.XA_RBROLLBACK, e);
        } catch (StoreUnavailableException e) {
            throw rolledBackAtEnd(XAException.XA_RBCOMMFAIL, e);
        }
    }

    /** The branch is rolled back now; the manager's rollback(xid) then finds nothing to undo. */
    private XAException rolledBackAtEnd(int code, RuntimeException cause) {
        GATE.leave(this);
        session.rollback();
        return error(code, cause.getMessage(), cause);
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        check(xid);
        if (!session.hasWrites()) {
            finish();
            session.commit();
            return XA_RDONLY;
        }
        finish();
        session.rollback();
        throw error(XAException.XA_RBROLLBACK, "RaftStore cannot take part in two-phase commit; its writes were"
                + " rolled back. Use transactionSupportLevel=LocalTransaction to commit it as the last participant.", null);
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        check(xid);
        if (!onePhase) {
            throw error(XAException.XAER_PROTO, "two-phase commit of a RaftStore transaction that was never prepared", null);
        }
        current = null;
        try {
            session.commit();
        } catch (TransactionConflictException e) {
            throw error(XAException.XA_RBROLLBACK, e.getMessage(), e);
        } catch (StoreUnavailableException e) {
            throw error(e.mayHaveTakenEffect() ? XAException.XA_HEURHAZ : XAException.XA_RBCOMMFAIL, e.getMessage(), e);
        } catch (StoreException e) {
            throw error(XAException.XA_RBOTHER, e.getMessage(), e);
        } finally {
            GATE.leave(this); // only once the batch is applied (or failed): the next transaction's check sees it
        }
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        check(xid);
        finish();
        session.discard();
    }

    @Override
    public void forget(Xid xid) {
    }

    /** Nothing is ever prepared, so nothing is in doubt after a crash. */
    @Override
    public Xid[] recover(int flag) {
        return new Xid[0];
    }

    @Override
    public boolean isSameRM(XAResource other) {
        return other == this;
    }

    @Override
    public int getTransactionTimeout() {
        return 0;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
        return false;
    }

    private void check(Xid xid) throws XAException {
        if (current == null || !current.equals(xid)) {
            throw error(XAException.XAER_NOTA, "unknown transaction " + xid, null);
        }
    }

    private void finish() {
        current = null;
        GATE.leave(this);
    }

    private static XAException error(int code, String message, Throwable cause) {
        XAException e = new XAException(message);
        e.errorCode = code;
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
