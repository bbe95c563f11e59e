package io.raftstore.jca;

import io.raftstore.api.StoreException;
import io.raftstore.api.StoreUnavailableException;
import io.raftstore.api.TransactionConflictException;
import io.raftstore.api.UnknownTransactionException;
import io.raftstore.api.spi.PreparedTransaction;
import io.raftstore.api.spi.StoreGateway;
import io.raftstore.jca.session.StoreSession;

import java.util.ArrayList;
import java.util.List;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The connection as an XA resource: the default way a connection joins a JTA transaction.
 *
 * <ul>
 *   <li>The only resource of a transaction: the manager skips prepare and commits in one phase
 *       ({@code commit(xid, true)}): one batch conditioned on every read version.</li>
 *   <li>Next to other XA resources: {@link #prepare} proposes the same conditions and writes as a prepared
 *       transaction of the store (id: the Xid, see {@link TransactionIds}), which holds every key it read or
 *       wrote; {@code commit(xid, false)} applies the writes, {@link #rollback} releases them. A branch that
 *       only read votes read-only and proposes nothing.</li>
 *   <li>After a crash, {@link #recover} lists the store's prepared Xids; the manager commits or rolls back
 *       those it logged. Phase-two calls work on any resource of this adapter, not only the one that
 *       prepared.</li>
 * </ul>
 *
 * <p>Phase two is repeated safely: the store commits or rolls back a prepared transaction once, and
 * answers {@code XAER_NOTA} afterwards. When the store is unreachable in phase two the answer is
 * {@code XAER_RMFAIL}: the keys stay held and the manager retries (as the XA specification asks of it).
 */
final class StoreXAResource implements XAResource {

    /** One per adapter, so per server: the transactions of all connection factories share it. */
    private static final CommitGate GATE = new CommitGate();

    private final StoreSession session;
    private final StoreGateway gateway;
    private final long gateTimeoutMillis;
    /** The branch started on this connection and not yet prepared or completed. */
    private Xid current;
    /** The branch this resource prepared, until its second phase. */
    private Xid prepared;
    /** The branch whose prepare failed: already rolled back, so a rollback from the manager has nothing to do. */
    private Xid rolledBack;

    /** @param gateTimeoutMillis how long end() waits for other transactions of shared keys to finish committing */
    StoreXAResource(StoreSession session, StoreGateway gateway, long gateTimeoutMillis) {
        this.session = session;
        this.gateway = gateway;
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
        rolledBack = null;
    }

    /**
     * At a successful end the transaction's reads are checked (one quorum round, only when it has writes):
     * a conflict found here is XA_RBROLLBACK with the {@link TransactionConflictException} as cause, and
     * Liberty makes exactly that exception the cause of the application's {@code RollbackException}. It does
     * not do so for a failed one-phase commit (the cause stays in the server log), and it reports every
     * failed one-phase commit of a LocalTransaction resource as a heuristic outcome; so this is where a
     * conflict must surface. For the same reason a store without quorum is found here (XA_RBCOMMFAIL with the
     * {@link StoreUnavailableException} as cause; nothing was written). Transactions of this server that
     * share a key pass from this check to the end of their commit one at a time ({@link CommitGate}), so
     * the second finds the first one's change here rather than in its commit (or, after a prepare, finds
     * the key held). Buffered writes stay with the session until prepare, commit or rollback.
     */
    @Override
    public void end(Xid xid, int flags) throws XAException {
        check(xid);
        if (flags != TMSUCCESS || !session.hasWrites()) {
            return;
        }
        try {
            // Not entered in time: go on without it; the commit's conditions still decide.
            GATE.enter(session.keys(), TransactionIds.of(xid), gateTimeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            session.validate();
        } catch (TransactionConflictException e) {
            throw rolledBackAtEnd(xid, XAException.XA_RBROLLBACK, e);
        } catch (StoreUnavailableException e) {
            throw rolledBackAtEnd(xid, XAException.XA_RBCOMMFAIL, e);
        }
    }

    /** The branch is rolled back now; the manager's rollback(xid) then finds nothing to undo. */
    private XAException rolledBackAtEnd(Xid xid, int code, RuntimeException cause) {
        GATE.leave(TransactionIds.of(xid));
        session.rollback();
        return error(code, cause.getMessage(), cause);
    }

    /**
     * Votes read-only for a branch without writes; else prepares it in the store. A conflict (a key read
     * has changed, or another prepared transaction holds one) is XA_RBROLLBACK with the
     * {@link TransactionConflictException} as cause; a store without quorum XA_RBCOMMFAIL with the
     * {@link StoreUnavailableException}. When that prepare may still take effect it is rolled back at once
     * (best effort: if that fails too, recovery or an operator releases it).
     */
    @Override
    public int prepare(Xid xid) throws XAException {
        check(xid);
        current = null;
        String id = TransactionIds.of(xid);
        try {
            if (!session.prepare(id)) {
                GATE.leave(id);
                return XA_RDONLY;
            }
        } catch (TransactionConflictException e) {
            throw failedPrepare(xid, XAException.XA_RBROLLBACK, e);
        } catch (StoreUnavailableException e) {
            if (e.mayHaveTakenEffect()) {
                releaseQuietly(id);
            }
            throw failedPrepare(xid, XAException.XA_RBCOMMFAIL, e);
        } catch (StoreException e) {
            throw failedPrepare(xid, XAException.XA_RBOTHER, e);
        }
        prepared = xid; // the gate stays taken until the second phase: the keys are held until then anyway
        return XA_OK;
    }

    private XAException failedPrepare(Xid xid, int code, StoreException cause) {
        GATE.leave(TransactionIds.of(xid));
        rolledBack = xid;
        return error(code, cause.getMessage(), cause);
    }

    private void releaseQuietly(String id) {
        try {
            gateway.rollbackPrepared(id);
        } catch (StoreException e) {
            // Unknown: nothing was prepared after all. Unavailable: the manager's recovery or an operator releases it.
        }
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        if (!onePhase) {
            resolve(xid, true);
            return;
        }
        if (xid.equals(prepared)) {
            throw error(XAException.XAER_PROTO, "one-phase commit of a prepared transaction " + xid, null);
        }
        check(xid);
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
            GATE.leave(TransactionIds.of(xid)); // only once the batch is applied (or failed): the next transaction's check sees it
        }
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        if (xid.equals(current)) {
            current = null;
            GATE.leave(TransactionIds.of(xid));
            session.discard(); // never prepared: nothing was sent
            return;
        }
        if (xid.equals(rolledBack)) {
            rolledBack = null;
            return;
        }
        resolve(xid, false);
    }

    /** The second phase of a prepared branch, prepared here or found by {@link #recover}. */
    private void resolve(Xid xid, boolean commit) throws XAException {
        String id = TransactionIds.of(xid);
        try {
            if (commit) {
                gateway.commitPrepared(id);
            } else {
                gateway.rollbackPrepared(id);
            }
        } catch (UnknownTransactionException e) {
            throw error(XAException.XAER_NOTA, e.getMessage(), e);
        } catch (StoreUnavailableException e) {
            throw error(XAException.XAER_RMFAIL, e.getMessage(), e);
        } catch (StoreException e) {
            throw error(XAException.XAER_RMERR, e.getMessage(), e);
        } finally {
            if (xid.equals(prepared)) {
                prepared = null;
            }
            // Whichever resource took the gate for this branch: phase two may come through another one.
            GATE.leave(id);
        }
    }

    @Override
    public void forget(Xid xid) {
        // No heuristic decision is ever taken here, so there is nothing to forget.
    }

    /** The Xids of the store's prepared transactions, at the start of a scan (the whole list at once). */
    @Override
    public Xid[] recover(int flag) throws XAException {
        if ((flag & TMSTARTRSCAN) == 0) {
            return new Xid[0];
        }
        List<PreparedTransaction> all;
        try {
            all = gateway.preparedTransactions();
        } catch (StoreException e) {
            throw error(XAException.XAER_RMFAIL, e.getMessage(), e);
        }
        List<Xid> xids = new ArrayList<>();
        for (PreparedTransaction t : all) {
            Xid xid = TransactionIds.parse(t.id());
            if (xid != null) {
                xids.add(xid);
            }
        }
        return xids.toArray(new Xid[0]);
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

    private static XAException error(int code, String message, Throwable cause) {
        XAException e = new XAException(message);
        e.errorCode = code;
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
