package io.raftstore.core.storage;

import io.raftstore.core.SnapshotMeta;

import java.io.OutputStream;

/** A snapshot being written. Not thread-safe. */
public interface SnapshotSink extends AutoCloseable {

    SnapshotMeta meta();

    /** Bytes written so far. */
    long written();

    /** Where the snapshot's bytes go, in order. */
    OutputStream stream();

    /** Durably makes this snapshot the latest one of its store. */
    void commit();

    /** Discards what was written; a no-op after {@link #commit()}. */
    @Override
    void close();
}
