package io.raftstore.api.spi;

import io.raftstore.api.ReadConsistency;
import io.raftstore.api.Versioned;

import java.util.List;
import java.util.Optional;

/**
 * What the resource adapter asks of the node in this server. Every method is thread-safe and blocks until
 * the node answers or its own request timeout ends; writes on a follower are forwarded to the leader
 * inside. Failures are the API's exceptions: {@link io.raftstore.api.StoreUnavailableException},
 * {@link io.raftstore.api.ConditionFailedException}, {@link io.raftstore.api.InvalidRequestException} and
 * its subclasses.
 */
public interface StoreGateway {

    /** One key at the given consistency. */
    Optional<Versioned> read(String key, ReadConsistency consistency);

    /** Keys with the prefix, in key order, from one state of the store. */
    ScanPage scan(String prefix, int limit, ReadConsistency consistency);

    /**
     * The next page of a scan: keys with the prefix that sort after {@code after} (the previous page's last key,
     * present or not), in key order; from the first key when {@code after} is null. Pages of one scan may come
     * from different states of the store: a key present throughout is listed once, a key written meanwhile
     * may or may not be. A gateway that cannot start after a key says so (the default).
     */
    default ScanPage scan(String prefix, String after, int limit, ReadConsistency consistency) {
        if (after == null) {
            return scan(prefix, limit, consistency);
        }
        throw new UnsupportedOperationException(getClass().getName() + " cannot continue a scan after a key");
    }

    /** One write, replicated before it returns. */
    OperationResult execute(Operation operation);

    /**
     * Checks every condition and, only if all hold, applies every operation at one log position; returns
     * that position (the new version of every written key).
     *
     * @throws io.raftstore.api.ConditionFailedException for the first condition that does not hold
     */
    long executeBatch(List<Precondition> conditions, List<Operation> operations);

    /**
     * {@link #execute(Operation)} as one write of a client session: when its outcome is unknown (a
     * {@link io.raftstore.api.StoreUnavailableException} that may have taken effect), the same request may be
     * sent again and applies at most once; a follower re-sends it to a new leader itself.
     */
    OperationResult execute(Operation operation, ClientRequest request);

    /** {@link #executeBatch(List, List)} as one write of a client session (see {@link ClientRequest}). */
    long executeBatch(List<Precondition> conditions, List<Operation> operations, ClientRequest request);

    /**
     * First phase of a two-phase commit: checks every condition as {@link #executeBatch} does and, if all
     * hold and no key of the transaction is held by another prepared one, records the writes and holds
     * every key (read or written) until {@link #commitPrepared} or {@link #rollbackPrepared}. Preparing an id
     * that is already prepared changes nothing and succeeds (a retry).
     *
     * @param transactionId unique per transaction branch; the rules of a key apply to it
     * @return the log index the transaction was prepared at
     * @throws io.raftstore.api.ConditionFailedException for the first condition that does not hold, or
     *                                                   (with {@code heldBy()}) a key another prepared transaction holds
     */
    long prepare(String transactionId, List<Precondition> conditions, List<Operation> operations);

    /**
     * Second phase: applies the prepared writes at one log position, as a batch, and releases the keys.
     *
     * @throws io.raftstore.api.UnknownTransactionException when nothing of that id is prepared (e.g. a
     *                                                      repeated commit: it did nothing)
     */
    void commitPrepared(String transactionId);

    /**
     * Releases a prepared transaction's keys without writing.
     *
     * @throws io.raftstore.api.UnknownTransactionException when nothing of that id is prepared
     */
    void rollbackPrepared(String transactionId);

    /** The prepared transactions, in id order, as of now (a linearizable read). */
    List<PreparedTransaction> preparedTransactions();

    StoreLimits limits();
}
