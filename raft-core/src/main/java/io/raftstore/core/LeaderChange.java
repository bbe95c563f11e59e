package io.raftstore.core;

/**
 * A change of leadership this node observed, for the failover history.
 *
 * @param term      the term of the new leader (or the term in which the old one was lost)
 * @param oldLeader the leader before, or null
 * @param newLeader the leader now, or null while none is known
 * @param cause     why it happened
 */
public record LeaderChange(long term, String oldLeader, String newLeader, Cause cause) {

    /** Why leadership changed. */
    public enum Cause {
        /** Followers stopped hearing from the leader and elected another. */
        ELECTION_TIMEOUT,
        /** The leader handed over on request (admin or graceful shutdown). */
        TRANSFER,
        /** The leader lost contact with a quorum and stepped down (CheckQuorum). */
        LOST_QUORUM,
        /** A higher term was seen (another node won an election). */
        HIGHER_TERM,
        /** The leader removed itself from the membership. */
        REMOVED,
        /** The node (re)started and learned of a leader. */
        STARTUP
    }
}
