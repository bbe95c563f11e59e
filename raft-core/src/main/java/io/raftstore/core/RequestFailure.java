package io.raftstore.core;

/**
 * A local request that will not complete.
 *
 * @param requestId the proposal's log index, or the caller's read request id
 * @param read      true for a read, false for a proposal
 * @param reason    why
 * @param leaderId  the leader this node knows of, or null
 * @param detail    a human-readable explanation
 */
public record RequestFailure(long requestId, boolean read, FailureReason reason, String leaderId, String detail) {
}
