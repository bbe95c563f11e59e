package io.raftstore.ejb.view;

/**
 * What a snapshot taken on request did.
 *
 * @param taken      false when the latest snapshot already held every applied entry
 * @param index      last log index the snapshot holds
 * @param firstIndex the first index of the log after compaction
 */
public record SnapshotOutcome(long index, long term, long firstIndex, long millis, boolean taken) {
}
