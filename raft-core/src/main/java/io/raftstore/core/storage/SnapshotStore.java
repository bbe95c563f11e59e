package io.raftstore.core.storage;

import io.raftstore.core.SnapshotMeta;

import java.io.InputStream;
import java.util.Optional;

/**
 * Holds the latest complete snapshot as an opaque byte stream, plus at most one snapshot being written
 * (taken locally or received in chunks from the leader).
 *
 * <h2>Lifecycle</h2>
 * {@link #begin} starts a new snapshot and abandons any unfinished one. Its
 * {@link SnapshotSink#commit()} makes it the latest, replacing the previous one; until then
 * {@link #latest()} is unchanged.
 *
 * <h2>Durability and failure</h2>
 * A committed snapshot is durable and complete. A crash while writing leaves the previous latest intact;
 * the partial one is discarded on the next open or {@link #begin}. A damaged latest snapshot makes the
 * store refuse to open with a {@link StorageException}.
 *
 * <h2>Thread safety</h2>
 * {@link #latest()}, {@link #read} and {@link #open} may be called from another thread while a sink is
 * written (a snapshot is captured while the node keeps applying); everything else from one thread.
 */
public interface SnapshotStore {

    /** Metadata of the latest complete snapshot, if any. */
    Optional<SnapshotMeta> latest();

    /** Length in bytes of the latest snapshot, 0 if none. */
    long length();

    /**
     * Up to {@code maxBytes} of the latest snapshot starting at {@code offset}; an empty array at the end.
     *
     * @throws StorageException when {@code meta} is no longer the latest snapshot
     */
    byte[] read(SnapshotMeta meta, long offset, int maxBytes);

    /** Streams the whole latest snapshot (for restoring the state machine). */
    InputStream open(SnapshotMeta meta);

    /** Starts writing a new snapshot; abandons any unfinished one. */
    SnapshotSink begin(SnapshotMeta meta);
}
