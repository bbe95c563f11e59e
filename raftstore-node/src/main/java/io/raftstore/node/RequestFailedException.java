package io.raftstore.node;

import io.raftstore.core.FailureReason;

/**
 * A request that did not complete. {@link #unavailable()} failures (no leader, no quorum, no answer in time)
 * are the contract's 503; a {@link FailureReason#REJECTED} one is the caller's mistake.
 */
public class RequestFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final FailureReason reason;
    private final String leaderId;

    public RequestFailedException(FailureReason reason, String leaderId, String message) {
        super(message);
        this.reason = reason;
        this.leaderId = leaderId;
    }

    public FailureReason reason() {
        return reason;
    }

    /** The leader known when the request failed, or null. */
    public String leaderId() {
        return leaderId;
    }

    /** True when the request might still take effect (retry only with the same client session). */
    public boolean mayHaveTakenEffect() {
        return reason.mayHaveTakenEffect();
    }

    /** True for "try again later" failures: no leader, no quorum or no answer within the timeout. */
    public boolean unavailable() {
        return reason != FailureReason.REJECTED;
    }
}
