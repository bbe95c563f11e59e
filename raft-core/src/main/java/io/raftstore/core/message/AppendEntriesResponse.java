package io.raftstore.core.message;

/**
 * The answer to {@link AppendEntries}.
 *
 * @param success       whether the follower's log matched at prevLogIndex
 * @param matchIndex    on success, the last index known to match the leader's log
 * @param conflictTerm  on failure, the term of the follower's entry at prevLogIndex, or -1 if it has none
 * @param conflictIndex on failure, the first index the follower holds of {@code conflictTerm}, or its
 *                      last index + 1 when its log is too short (fast backtracking)
 * @param round         the heartbeat round being answered
 * @param incarnation   the sender's incarnation ({@link io.raftstore.core.HardState#incarnation()}), 0 if none
 * @param caughtUp      the sender's {@link io.raftstore.core.HardState#caughtUp()}
 * @param leaseMicros   0, or how long in real time (microseconds) after receiving the message answered the sender
 *                      surely grants no vote, whatever it is told ({@link io.raftstore.core.RaftConfig#leaseReads()},
 *                      {@link io.raftstore.core.RaftConfig#leaseMicros()}): only such an answer counts toward the
 *                      leader's lease, and for no longer than this (a node with peer-loss hints may vote early; a
 *                      node with a shorter election timeout than the leader's votes sooner than the leader's own
 *                      timeout says)
 */
public record AppendEntriesResponse(String from, String to, long term, boolean success, long matchIndex,
                                    long conflictTerm, long conflictIndex, long round, long incarnation,
                                    boolean caughtUp, long leaseMicros) implements RaftMessage {

    public AppendEntriesResponse {
        if (leaseMicros < 0) {
            throw new IllegalArgumentException("leaseMicros must not be negative, was " + leaseMicros);
        }
    }

    /** From a node without an incarnation, which does not honour leases. */
    public AppendEntriesResponse(String from, String to, long term, boolean success, long matchIndex,
                                 long conflictTerm, long conflictIndex, long round) {
        this(from, to, term, success, matchIndex, conflictTerm, conflictIndex, round, 0, true, 0);
    }

    /** From a node that does not honour leases. */
    public AppendEntriesResponse(String from, String to, long term, boolean success, long matchIndex,
                                 long conflictTerm, long conflictIndex, long round, long incarnation,
                                 boolean caughtUp) {
        this(from, to, term, success, matchIndex, conflictTerm, conflictIndex, round, incarnation, caughtUp, 0);
    }

    /** Whether this answer may count toward the leader's lease at all. */
    public boolean honoursLease() {
        return leaseMicros > 0;
    }
}
