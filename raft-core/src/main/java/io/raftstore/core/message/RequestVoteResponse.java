package io.raftstore.core.message;

/** The answer to {@link RequestVote}; for a PreVote, {@code term} echoes the probed term when granted. */
public record RequestVoteResponse(String from, String to, long term, boolean granted, boolean preVote)
        implements RaftMessage {
}
