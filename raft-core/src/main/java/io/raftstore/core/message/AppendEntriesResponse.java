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
 * @param honoursLease  the sender grants no vote for an election timeout after hearing from its leader, whatever
 *                      it is told ({@link io.raftstore.core.RaftConfig#leaseReads()}): only such an answer may
 *                      count toward the leader's lease (a node with peer-loss hints may vote early)
 */
public record AppendEntriesResponse(String from, String to, long term, boolean success, long matchIndex,
                                    long conflictTerm, long conflictIndex, long round, long incarnation,
                                    boolean caughtUp, boolean honoursLease) implements RaftMessage {
    /** From a node without an incarnation, which does not honour leases. */
    public AppendEntriesResponse(String from, String to, long term, boolean success, long matchIndex,
                                 long conflictTerm, long conflictIndex, long round) {
        this(from, to, term, success, matchIndex, conflictTerm, conflictIndex, round, 0, true, false);
    }

    /** From a node that does not honour leases. */
    public AppendEntriesResponse(String from, String to, long term, boolean success, long matchIndex,
                                 long conflictTerm, long conflictIndex, long round, long incarnation,
                                 boolean caughtUp) {
        this(from, to, term, success, matchIndex, conflictTerm, conflictIndex, round, incarnation, caughtUp, false);
    }
}
