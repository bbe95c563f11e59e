package io.raftstore.api;

/** How fresh a read must be. */
public enum ReadConsistency {
    /** The latest committed state: the leader confirms its leadership with a quorum before answering. The default. */
    LINEARIZABLE,
    /** The leader answers from its lease without a quorum round; correct while clocks drift within bounds. */
    LEASE,
    /** Whatever the local node has applied; fastest, and may lag behind the leader. */
    STALE
}
