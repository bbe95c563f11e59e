package io.raftstore.core.storage;

import io.raftstore.core.LogEntry;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The persisted Raft log: a contiguous run of entries {@code [firstIndex, lastIndex]} preceded by a
 * compaction point ({@code firstIndex - 1}, whose term is still known).
 *
 * <h2>Lifecycle</h2>
 * A fresh store is empty: {@code firstIndex() == 1}, {@code lastIndex() == 0}, {@code term(0) == 0}.
 * Implementations open their backing files in a constructor or factory and release them in {@link #close()}.
 *
 * <h2>Durability and failure</h2>
 * {@link #append}, {@link #compact} and {@link #reset} are durable when they return: a crash afterwards
 * never loses what they wrote. A crash during one of them leaves either the old or the new state, never
 * a mix (no torn batch, no gap). A store that finds its data damaged on open refuses to open with a
 * {@link StorageException} naming the file; it never presents an empty or shortened log instead.
 *
 * <h2>Thread safety</h2>
 * Not required. The engine and its driver call a store from one thread.
 */
public interface LogStore extends AutoCloseable {

    /** Index of the first entry held; the compaction point plus one. */
    long firstIndex();

    /** Index of the last entry held; equals {@code firstIndex() - 1} when no entry is held. */
    long lastIndex();

    /**
     * Term of the entry at {@code index}, for {@code firstIndex() - 1 <= index <= lastIndex()}.
     *
     * @throws CompactedException       when {@code index < firstIndex() - 1}
     * @throws IllegalArgumentException when {@code index > lastIndex()}
     */
    long term(long index);

    /**
     * Entries {@code [from, toInclusive]}, stopping early once {@code maxBytes} (by
     * {@link LogEntry#sizeInBytes()}) would be exceeded; always returns at least one entry when the range
     * is not empty.
     *
     * @throws CompactedException when {@code from < firstIndex()}
     */
    List<LogEntry> entries(long from, long toInclusive, long maxBytes);

    /**
     * The leading entries of {@code entries} that fit {@code maxBytes}, as {@link #entries} must return them:
     * the first always goes out, even if it alone exceeds the budget, so callers make progress.
     */
    static List<LogEntry> withinBudget(Iterator<LogEntry> entries, long maxBytes) {
        List<LogEntry> out = new ArrayList<>();
        long bytes = 0;
        while (entries.hasNext()) {
            LogEntry e = entries.next();
            bytes += e.sizeInBytes();
            if (!out.isEmpty() && bytes > maxBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    /**
     * Refuses, before anything is written, a non-empty batch that {@link #append} must refuse: entries not
     * contiguous, a first index leaving a gap after {@code lastIndex}, or one at or before the compaction
     * point ({@code firstIndex - 1}).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static void checkAppend(List<LogEntry> entries, long firstIndex, long lastIndex) {
        long from = entries.get(0).index();
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).index() != from + i) {
                throw new IllegalArgumentException("entries are not contiguous at " + entries.get(i).index());
            }
        }
        if (from > lastIndex + 1) {
            throw new IllegalArgumentException("append at " + from + " would leave a gap after " + lastIndex);
        }
        if (from < firstIndex) {
            throw new IllegalArgumentException("append at " + from + " would overwrite compacted entries before "
                    + firstIndex);
        }
    }

    /**
     * Appends contiguous entries whose first index is at most {@code lastIndex() + 1}, first deleting
     * every held entry at or after that index (a conflicting suffix). Durable on return.
     */
    void append(List<LogEntry> entries);

    /**
     * Discards entries up to and including {@code upToIndex}, which must be held or be the compaction
     * point; {@code term(upToIndex)} stays answerable. Durable on return.
     */
    void compact(long upToIndex);

    /**
     * Discards every entry and restarts the log after a snapshot: afterwards {@code firstIndex() ==
     * snapshotIndex + 1}, {@code lastIndex() == snapshotIndex} and {@code term(snapshotIndex) ==
     * snapshotTerm}. Durable on return.
     */
    void reset(long snapshotIndex, long snapshotTerm);

    @Override
    void close();
}
