package io.raftstore.core;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The replicated application state, fed committed entries in log order.
 *
 * <h2>Determinism</h2>
 * {@link #apply} must depend only on the current state and the entries: no clocks, random numbers or
 * environment, so every node computes the same state and results.
 *
 * <h2>Client sessions (exactly-once)</h2>
 * A {@link EntryType#COMMAND} entry with a non-zero {@code clientId} is applied at most once per
 * (clientId, sequence): a sequence equal to the session's last applied one returns the recorded result
 * without applying again, a lower one returns a "session expired / stale" result. Sessions are part of
 * the state (and of snapshots). Implementations bound their number and evict the least recently used one
 * deterministically (by log index).
 *
 * <h2>Durability and failure</h2>
 * {@link #apply} records the applied index together with the effects, atomically: after a crash
 * {@link #appliedIndex()} matches the data exactly, so nothing is lost or applied twice. It need not force
 * them to disk: the committed log is durable, and a driver re-applies the entries after the recovered
 * applied index. A {@link #restore} must be durable when it returns, because the log is reset after it.
 *
 * <h2>Thread safety</h2>
 * {@link #apply} and {@link #restore} are called from the node's event loop; {@link #writeSnapshot} may
 * run on another thread concurrently and must then capture a consistent view.
 */
public interface StateMachine {

    /** The index of the last entry applied (0 for a fresh state). */
    long appliedIndex();

    /**
     * Applies consecutive committed entries (the first one at {@code appliedIndex() + 1}); returns one
     * result per entry (empty for NOOP and MEMBERSHIP entries).
     */
    List<byte[]> apply(List<LogEntry> entries);

    /** Writes the state as of {@link #appliedIndex()} to {@code out}, streaming. */
    void writeSnapshot(OutputStream out);

    /** Replaces the whole state with a snapshot; afterwards {@link #appliedIndex()} is {@code meta.index()}. */
    void restore(SnapshotMeta meta, InputStream in);
}
