package io.raftstore.node;

/**
 * What an explicit snapshot did.
 *
 * @param index      the last log index the snapshot holds (the state machine's applied index)
 * @param term       the term of that entry
 * @param firstIndex the first index left in the log after compaction (entries kept for lagging followers)
 * @param millis     how long writing the snapshot and compacting took, on the event loop
 * @param taken      false when the latest snapshot already held every applied entry, so none was written
 */
public record SnapshotReport(long index, long term, long firstIndex, long millis, boolean taken) {
}
