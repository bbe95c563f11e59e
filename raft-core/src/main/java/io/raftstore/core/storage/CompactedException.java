package io.raftstore.core.storage;

/** The requested log position was discarded by compaction; the state is only available as a snapshot. */
public class CompactedException extends StorageException {
    private static final long serialVersionUID = 1L;

    public CompactedException(long index, long firstIndex) {
        super("log index " + index + " is compacted; the log starts at " + firstIndex);
    }
}
