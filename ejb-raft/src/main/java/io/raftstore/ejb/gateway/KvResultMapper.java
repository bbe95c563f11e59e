package io.raftstore.ejb.gateway;

import io.raftstore.api.ConditionFailedException;
import io.raftstore.api.InvalidRequestException;
import io.raftstore.api.KeyHeldException;
import io.raftstore.api.NotACounterException;
import io.raftstore.api.StoreException;
import io.raftstore.api.StoreUnavailableException;
import io.raftstore.api.Versioned;
import io.raftstore.api.spi.OperationResult;
import io.raftstore.kv.Condition;
import io.raftstore.kv.KvResult;
import io.raftstore.node.RequestFailedException;

/** Translates the state machine's results and the node's failures into the API's results and exceptions. */
final class KvResultMapper {

    /** About one election: the earliest a new leader can be expected. */
    static final long RETRY_AFTER_MILLIS = 1000;

    private KvResultMapper() {
    }

    static Versioned versioned(KvResult.Value v) {
        return new Versioned(v.key(), v.value(), v.version());
    }

    /** @param requirement what a conditional operation requires, null for a plain one */
    static OperationResult single(String key, String requirement, KvResult r) {
        if (r instanceof KvResult.Written w) {
            return new OperationResult.Written(w.version());
        }
        if (r instanceof KvResult.Deleted d) {
            return new OperationResult.Deleted(d.existed());
        }
        if (r instanceof KvResult.Counter c) {
            return new OperationResult.Counted(c.value(), c.version());
        }
        if (r instanceof KvResult.ConditionFailed c) {
            throw new ConditionFailedException(key, requirement, c.actualVersion());
        }
        if (r instanceof KvResult.KeyHeld h) {
            throw held(h, requirement != null);
        }
        throw failure(key, r);
    }

    /**
     * A key held by a prepared two-phase transaction: a conflict for a conditional or transactional write
     * (its caller re-reads and decides), else a {@link KeyHeldException}, which the adapter retries.
     */
    static StoreException held(KvResult.KeyHeld h, boolean conditional) {
        return conditional ? new ConditionFailedException(h.key(), h.version(), h.txId())
                : new KeyHeldException(h.key(), h.txId(), RETRY_AFTER_MILLIS);
    }

    static String describe(Condition c) {
        if (c instanceof Condition.VersionEquals v) {
            return "version " + v.version();
        }
        return c instanceof Condition.KeyAbsent ? "absent" : "exists";
    }

    /** A result that is neither a success nor a failed condition. */
    static StoreException failure(String key, KvResult r) {
        if (r instanceof KvResult.Rejected rej) {
            return switch (rej.reason()) {
                case NOT_A_COUNTER, OVERFLOW -> new NotACounterException(key, rej.message());
                case INVALID_ARGUMENT -> new InvalidRequestException(rej.message() + "; nothing was written.");
                case MALFORMED -> new StoreException("the node did not understand the request: " + rej.message()
                        + "; nothing was written. The adapter and the node are of different versions.");
            };
        }
        if (r instanceof KvResult.SessionExpired e) {
            // Only a repeated request meets this: the store forgot the session's earlier attempt (too many
            // clients since), so whether that attempt applied cannot be told any more.
            return new StoreUnavailableException("the write to '" + key + "' was sent again after its outcome was"
                    + " lost, and the store no longer remembers client session " + e.clientId() + " at sequence "
                    + e.sequence() + ": it may or may not have taken effect; read the key to find out",
                    RETRY_AFTER_MILLIS, true);
        }
        return new StoreException("unexpected result from the node for key '" + key + "': " + r);
    }

    static StoreException failure(RequestFailedException e) {
        if (!e.unavailable()) {
            return new InvalidRequestException("the node refused the request: " + e.getMessage());
        }
        String leader = e.leaderId() == null ? "no leader known" : "leader " + e.leaderId();
        return new StoreUnavailableException(e.getMessage() + " (" + leader + ")", RETRY_AFTER_MILLIS,
                e.mayHaveTakenEffect(), e);
    }
}
