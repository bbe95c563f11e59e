package io.raftstore.core.message;

/**
 * The answer to {@link RequestVote}; for a PreVote, {@code term} echoes the probed term when granted.
 *
 * @param unanimousOnly the grant of a node that is not caught up ({@link io.raftstore.core.HardState#caughtUp()}):
 *                      it may be a wiped voter that forgot entries it acknowledged, so its grant counts only
 *                      toward an election that every voter grants
 */
public record RequestVoteResponse(String from, String to, long term, boolean granted, boolean preVote,
                                  boolean unanimousOnly) implements RaftMessage {

    /** An answer that counts as a plain grant or refusal. */
    public RequestVoteResponse(String from, String to, long term, boolean granted, boolean preVote) {
        this(from, to, term, granted, preVote, false);
    }
}
