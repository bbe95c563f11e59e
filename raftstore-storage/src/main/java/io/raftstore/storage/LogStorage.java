package io.raftstore.storage;

import io.raftstore.core.storage.HardStateStore;
import io.raftstore.core.storage.LogStore;

import java.nio.file.Path;
import java.util.List;

/**
 * A node's Raft log and hard state, in one of the stores of {@link LogStoreKind}.
 *
 * <h2>Lifecycle</h2>
 * Opened (and verified) with the node's data directory and closed with it; {@link #close} does not close
 * anything the storage was given (an H2-backed log's database belongs to its opener).
 *
 * <h2>Durability</h2>
 * {@link #write} is the unit of atomicity: after a crash, the log and hard state hold all of one call's
 * writes or none. A forced write is on disk when it returns, together with every unforced one before it;
 * a crash may take back unforced writes that no forced one has followed, newest first, never a write
 * older than a surviving one.
 *
 * <h2>Threads</h2>
 * Writes come from the node's event loop; {@link #quiesced} may be called from another thread (a backup) and
 * waits for the write in progress; {@link #sync}, where supported, runs beside the writes.
 */
public interface LogStorage extends AutoCloseable {
    LogStore log();

    HardStateStore hardState();

    /** Runs several writes of the log and hard state as one atomic unit, durable on return when {@code force}. */
    void write(Runnable writes, boolean force);

    /**
     * Whether {@link #sync} may run on another thread beside the writes, so that a writer can leave its
     * unforced writes to be synced there and go on.
     */
    default boolean syncsBesideWrites() {
        return false;
    }

    /**
     * Makes every write that returned before this call durable, from any thread, while writes go on; only
     * where {@link #syncsBesideWrites()}.
     */
    default void sync() {
        throw new UnsupportedOperationException("the " + kind() + " log store cannot sync beside its writes");
    }

    /** Runs {@code action} between two writes with everything synced: the store's files are a consistent image. */
    void quiesced(Runnable action);

    /** The files holding the log outside the node's database, oldest first (call inside {@link #quiesced}). */
    List<Path> files();

    LogStoreKind kind();

    @Override
    void close();
}
