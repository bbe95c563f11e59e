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

    StoreLimits limits();
}
