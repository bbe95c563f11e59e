package io.raftstore.core;

/** A request the leader refused before appending anything; {@link #reason()} says whether to retry. */
public class RequestRejectedException extends RaftException {
    private static final long serialVersionUID = 1L;
    private final FailureReason reason;

    public RequestRejectedException(FailureReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public FailureReason reason() {
        return reason;
    }
}
