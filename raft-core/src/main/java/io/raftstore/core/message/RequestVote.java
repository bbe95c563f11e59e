package io.raftstore.core.message;

/**
 * A (pre-)candidate asks for a vote.
 *
 * @param preVote  a PreVote probe: {@code term} is the term the sender would campaign in; no state changes
 * @param transfer the candidate was told to campaign by its leader (TimeoutNow), so voters must not
 *                 reject it for having heard from a leader recently
 */
public record RequestVote(String from, String to, long term, long lastLogIndex, long lastLogTerm,
                          boolean preVote, boolean transfer) implements RaftMessage {
}
