package io.raftstore.core;

import java.util.Objects;

/**
 * Identifies a snapshot: the state machine state after applying every entry up to {@code index}.
 *
 * @param index      the last log index the snapshot includes
 * @param term       the term of that entry
 * @param membership the configuration in force at {@code index}
 */
public record SnapshotMeta(long index, long term, Membership membership) {
    public SnapshotMeta {
        Objects.requireNonNull(membership, "membership");
    }
}
