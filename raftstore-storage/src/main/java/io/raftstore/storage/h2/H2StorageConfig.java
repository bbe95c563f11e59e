package io.raftstore.storage.h2;

import io.raftstore.storage.wal.WalStorage;

/**
 * Settings of one node's storage; every value has a default in {@link #DEFAULT}.
 *
 * @param maxSessions           most client sessions remembered; the least recently used (by log index) is
 *                              evicted beyond that
 * @param cacheSizeMb           H2 page cache, in MiB
 * @param retentionMillis       how long H2 keeps chunks that no longer hold live data before reusing their
 *                              space; H2's default of 45 s. Do not lower it: with 0 the crash test once saw
 *                              H2 recover a version older than one already synced (see docs/storage.md);
 *                              the cost is file space, about (bytes per commit x commits per second x 45 s)
 * @param snapshotEntries       take a snapshot once this many entries were applied since the last one
 * @param snapshotLogBytes      ... or once the log holds about this many bytes beyond the last snapshot
 * @param restoreCommitRecords  while installing a snapshot, commit the staged rows every this many records so
 *                              memory stays bounded whatever the snapshot's size
 * @param checkpointMillis      the key-value state (its own database, see {@link NodeStorage}) is committed at
 *                              most this often; a crash costs re-applying at most this much of the log
 * @param walSegmentBytes       the write-ahead log starts a new segment file once its newest passes this size;
 *                              whole segments are deleted as compaction passes them
 */
public record H2StorageConfig(int maxSessions, int cacheSizeMb, int retentionMillis,
                              long snapshotEntries, long snapshotLogBytes, int restoreCommitRecords,
                              int checkpointMillis, long walSegmentBytes) {

    public static final H2StorageConfig DEFAULT = new H2StorageConfig(10_000, 16, 45_000,
            10_000, 64L << 20, 10_000, 5_000, WalStorage.DEFAULT_SEGMENT_BYTES);

    public H2StorageConfig {
        if (maxSessions < 1 || cacheSizeMb < 1 || retentionMillis < 0 || snapshotEntries < 1
                || snapshotLogBytes < 1 || restoreCommitRecords < 1 || checkpointMillis < 0
                || walSegmentBytes < 1 || walSegmentBytes > 1L << 30) { // replay reads a segment into one array
            throw new IllegalArgumentException("invalid storage configuration " + this);
        }
    }

    public H2StorageConfig withMaxSessions(int sessions) {
        return new H2StorageConfig(sessions, cacheSizeMb, retentionMillis, snapshotEntries,
                snapshotLogBytes, restoreCommitRecords, checkpointMillis, walSegmentBytes);
    }

    public H2StorageConfig withRetentionMillis(int millis) {
        return new H2StorageConfig(maxSessions, cacheSizeMb, millis, snapshotEntries, snapshotLogBytes,
                restoreCommitRecords, checkpointMillis, walSegmentBytes);
    }

    public H2StorageConfig withRestoreCommitRecords(int records) {
        return new H2StorageConfig(maxSessions, cacheSizeMb, retentionMillis, snapshotEntries,
                snapshotLogBytes, records, checkpointMillis, walSegmentBytes);
    }

    public H2StorageConfig withCheckpointMillis(int millis) {
        return new H2StorageConfig(maxSessions, cacheSizeMb, retentionMillis, snapshotEntries,
                snapshotLogBytes, restoreCommitRecords, millis, walSegmentBytes);
    }

    public H2StorageConfig withWalSegmentBytes(long bytes) {
        return new H2StorageConfig(maxSessions, cacheSizeMb, retentionMillis, snapshotEntries,
                snapshotLogBytes, restoreCommitRecords, checkpointMillis, bytes);
    }

    /** True when a snapshot is due, by either threshold. */
    public boolean snapshotDue(long entriesSinceSnapshot, long logBytesSinceSnapshot) {
        return entriesSinceSnapshot >= snapshotEntries || logBytesSinceSnapshot >= snapshotLogBytes;
    }
}
