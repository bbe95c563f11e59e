package io.raftstore.core;

/** How fresh a read must be. */
public enum ReadConsistency {
    /** ReadIndex: leadership confirmed by a quorum round after the read arrived. The default. */
    LINEARIZABLE,
    /** Leader lease: no round trip, relies on bounded clock drift between nodes. Opt-in. */
    LEASE,
    /** Whatever this node has applied; may lag arbitrarily. Opt-in. */
    STALE
}
