package io.raftstore.core;

/** Why a proposal or read did not complete. */
public enum FailureReason {
    /** This node is not the leader; retry on the leader named in the failure, if any. Nothing was written. */
    NOT_LEADER(false),
    /** A leadership transfer is under way; retry shortly. Nothing was written. */
    TRANSFER_IN_PROGRESS(false),
    /** Leadership changed after the proposal was appended: it may or may not commit. Retry with the same session. */
    OUTCOME_UNKNOWN(true),
    /** No quorum answered within the request timeout: it may or may not commit later. */
    TIMEOUT(true),
    /** The request was refused as invalid (for example a second concurrent membership change). */
    REJECTED(false);

    private final boolean mayHaveTakenEffect;

    FailureReason(boolean mayHaveTakenEffect) {
        this.mayHaveTakenEffect = mayHaveTakenEffect;
    }

    /** True when the request might still be applied, so a blind retry needs a client session. */
    public boolean mayHaveTakenEffect() {
        return mayHaveTakenEffect;
    }
}
