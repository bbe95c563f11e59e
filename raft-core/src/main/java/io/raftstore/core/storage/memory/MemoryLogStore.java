package io.raftstore.core.storage.memory;

import io.raftstore.core.LogEntry;
import io.raftstore.core.storage.CompactedException;
import io.raftstore.core.storage.LogStore;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LogStore} held in an array list. Every operation is complete when it returns, so it is trivially
 * durable for as long as the object lives; {@link #reopen()} stands for a restart. Preconditions of the
 * contract (contiguous appends without gaps, compacting only held indexes) are checked and violations
 * rejected with {@link IllegalArgumentException} before anything changes.
 */
public final class MemoryLogStore implements LogStore {

    /** Index of the compaction point: entries up to here were discarded, only its term is kept. */
    private long snapshotIndex;
    private long snapshotTerm;
    /** entries.get(i) is at index snapshotIndex + 1 + i. */
    private final ArrayList<LogEntry> entries = new ArrayList<>();

    public MemoryLogStore() {
    }

    private MemoryLogStore(MemoryLogStore source) {
        snapshotIndex = source.snapshotIndex;
        snapshotTerm = source.snapshotTerm;
        entries.addAll(source.entries);
    }

    /** A new store over the same data, as a real store would find it after a restart. */
    public MemoryLogStore reopen() {
        return new MemoryLogStore(this);
    }

    @Override
    public long firstIndex() {
        return snapshotIndex + 1;
    }

    @Override
    public long lastIndex() {
        return snapshotIndex + entries.size();
    }

    @Override
    public long term(long index) {
        if (index < snapshotIndex) {
            throw new CompactedException(index, firstIndex());
        }
        if (index > lastIndex()) {
            throw new IllegalArgumentException("log index " + index + " is past the last index " + lastIndex());
        }
        return index == snapshotIndex ? snapshotTerm : entries.get(offset(index)).term();
    }

    @Override
    public List<LogEntry> entries(long from, long toInclusive, long maxBytes) {
        if (from < firstIndex()) {
            throw new CompactedException(from, firstIndex());
        }
        if (toInclusive > lastIndex()) {
            throw new IllegalArgumentException("entries up to " + toInclusive + " requested; the log ends at "
                    + lastIndex());
        }
        if (from > toInclusive) {
            return List.of();
        }
        return LogStore.withinBudget(entries.subList(offset(from), offset(toInclusive) + 1).iterator(), maxBytes);
    }

    @Override
    public void append(List<LogEntry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        long first = batch.get(0).index();
        LogStore.checkAppend(batch, snapshotIndex + 1, lastIndex());
        // Checked everything before touching the list: a rejected batch changes nothing.
        entries.subList(offset(first), entries.size()).clear();
        entries.addAll(batch);
    }

    @Override
    public void compact(long upToIndex) {
        if (upToIndex < snapshotIndex || upToIndex > lastIndex()) {
            throw new IllegalArgumentException("cannot compact up to " + upToIndex + ": the log holds ["
                    + firstIndex() + ", " + lastIndex() + "]");
        }
        long term = term(upToIndex);
        entries.subList(0, offset(upToIndex + 1)).clear();
        snapshotIndex = upToIndex;
        snapshotTerm = term;
    }

    @Override
    public void reset(long index, long term) {
        if (index < 0 || term < 0) {
            throw new IllegalArgumentException("bad snapshot position index=" + index + " term=" + term);
        }
        entries.clear();
        snapshotIndex = index;
        snapshotTerm = term;
    }

    @Override
    public void close() {
        // Nothing to release; the data stays reachable through reopen().
    }

    private int offset(long index) {
        return (int) (index - snapshotIndex - 1);
    }

    @Override
    public String toString() {
        return "MemoryLogStore[" + firstIndex() + ".." + lastIndex() + ", compacted at " + snapshotIndex + "@"
                + snapshotTerm + "]";
    }
}
