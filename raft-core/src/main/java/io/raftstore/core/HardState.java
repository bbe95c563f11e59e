package io.raftstore.core;

/**
 * The state Raft must keep on stable storage before answering any message.
 *
 * @param term        the latest term this node has seen
 * @param votedFor    the candidate it voted for in {@code term}, or null
 * @param commitIndex the highest index known committed (persisted only to speed up restart)
 */
public record HardState(long term, String votedFor, long commitIndex) {
    /** The state of a node that has never run. */
    public static final HardState EMPTY = new HardState(0, null, 0);
}
