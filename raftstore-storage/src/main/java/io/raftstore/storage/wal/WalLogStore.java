package io.raftstore.storage.wal;

import io.raftstore.core.LogEntry;
import io.raftstore.core.codec.BinaryReader;
import io.raftstore.core.storage.CompactedException;
import io.raftstore.core.storage.LogStore;
import io.raftstore.core.storage.StorageException;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The Raft log in the write-ahead log: appends, compactions and resets are records there, and this object
 * keeps what replaying them yields — the compaction point and where each held entry lies. Recent entries
 * also stay decoded in memory, since the leader sends and every node applies what was just appended.
 */
public final class WalLogStore implements LogStore {
    private static final int RECENT = 1 << 13;

    private final WriteAheadLog wal;
    private final EntryPositions positions = new EntryPositions();
    private final LogEntry[] recent = new LogEntry[RECENT];
    private long startIndex;
    private long startTerm;
    /** Entries from here on were added to the frame being written and are not placed yet. */
    private long unplacedFrom = Long.MAX_VALUE;

    WalLogStore(WriteAheadLog wal) {
        this.wal = wal;
    }

    // ---- replay ----

    void replay(WalRecord record, long seq, long offset, int length) {
        if (record instanceof WalRecord.Entry r) {
            long index = r.entry().index();
            if (index <= startIndex) {
                throw damagedOnReplay("entry " + index + " lies at or before the compaction point " + startIndex);
            }
            if (positions.count() > 0 && index > positions.last() + 1) {
                throw damagedOnReplay("entry " + index + " follows entry " + positions.last() + ": entries are missing");
            }
            positions.truncateFrom(index);
            positions.add(index, r.entry().term(), seq, offset, length);
        } else if (record instanceof WalRecord.Compacted c) {
            if (c.index() >= startIndex) { // older restatements (a segment's first frame) change nothing
                if (positions.holds(c.index()) && positions.term(c.index()) != c.term()) {
                    throw damagedOnReplay("the compaction point " + c.index() + " has term " + c.term()
                            + " but the entry there has term " + positions.term(c.index()));
                }
                compactedTo(c.index(), c.term());
            }
        } else if (record instanceof WalRecord.Reset r) {
            resetTo(r.index(), r.term());
        }
    }

    /** What a compaction record means, replayed or written now. */
    private void compactedTo(long index, long term) {
        positions.dropThrough(index);
        startIndex = index;
        startTerm = term;
    }

    /** What a reset record means, replayed or written now. */
    private void resetTo(long index, long term) {
        positions.restartAfter(index);
        startIndex = index;
        startTerm = term;
    }

    /** Checks what replay built: the first entry follows the compaction point. */
    void replayed() {
        if (positions.count() > 0 && positions.first() != startIndex + 1) {
            throw damagedOnReplay("the log starts at index " + positions.first() + " but its compaction point is "
                    + startIndex + ": entries in between are missing");
        }
    }

    private StorageException damagedOnReplay(String what) {
        return wal.damaged(wal.directory(), what);
    }

    // ---- LogStore ----

    @Override
    public long firstIndex() {
        return startIndex + 1;
    }

    @Override
    public long lastIndex() {
        return positions.count() == 0 ? startIndex : positions.last();
    }

    @Override
    public long term(long index) {
        if (index == startIndex) {
            return startTerm;
        }
        if (index < startIndex) {
            throw new CompactedException(index, startIndex + 1);
        }
        if (index > lastIndex()) {
            throw new IllegalArgumentException("log index " + index + " is beyond the last index " + lastIndex());
        }
        return positions.term(index);
    }

    @Override
    public List<LogEntry> entries(long from, long toInclusive, long maxBytes) {
        if (from <= startIndex) {
            throw new CompactedException(from, startIndex + 1);
        }
        if (toInclusive > lastIndex()) {
            throw new IllegalArgumentException("entries up to " + toInclusive + " requested, the log ends at "
                    + lastIndex());
        }
        return LogStore.withinBudget(new Iterator<>() {
            private long next = from;

            @Override
            public boolean hasNext() {
                return next <= toInclusive;
            }

            @Override
            public LogEntry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("entries end at " + toInclusive);
                }
                return entry(next++);
            }
        }, maxBytes);
    }

    private LogEntry entry(long index) {
        LogEntry cached = recent[slot(index)];
        if (cached != null && cached.index() == index && cached.term() == positions.term(index)) {
            return cached; // same index and term: the same entry (Log Matching)
        }
        long seq = positions.seq(index);
        int length = positions.length(index);
        byte[] bytes = seq == EntryPositions.UNPLACED
                ? wal.pending((int) positions.offset(index), length)
                : wal.read(seq, positions.offset(index), length);
        WalRecord record;
        try {
            record = WalRecord.decode(new BinaryReader(bytes));
        } catch (RuntimeException e) {
            throw wal.damaged(wal.directory(), "log entry " + index + " cannot be read back (" + e.getMessage() + ")");
        }
        if (!(record instanceof WalRecord.Entry e) || e.entry().index() != index) {
            throw wal.damaged(wal.directory(), "log entry " + index + " is not where the log recorded it");
        }
        return e.entry();
    }

    private static int slot(long index) {
        return (int) (index & (RECENT - 1));
    }

    @Override
    public void append(List<LogEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        LogStore.checkAppend(entries, firstIndex(), lastIndex());
        long from = entries.get(0).index();
        wal.write(() -> {
            positions.truncateFrom(from);
            for (LogEntry e : entries) {
                int at = wal.add(new WalRecord.Entry(e));
                positions.add(e.index(), e.term(), EntryPositions.UNPLACED, at, wal.pendingSize() - at);
                recent[slot(e.index())] = e;
            }
            unplacedFrom = Math.min(unplacedFrom, from);
        }, true);
    }

    /** Called when the frame holding the unplaced entries was written at {@code base} of segment {@code seq}. */
    void placed(long seq, long base) {
        if (unplacedFrom == Long.MAX_VALUE) {
            return;
        }
        for (long i = Math.max(unplacedFrom, firstIndex()); i <= lastIndex(); i++) {
            positions.place(i, seq, base);
        }
        unplacedFrom = Long.MAX_VALUE;
    }

    @Override
    public void compact(long upToIndex) {
        if (upToIndex == startIndex) {
            return;
        }
        if (upToIndex < startIndex || upToIndex > lastIndex()) {
            throw new IllegalArgumentException("cannot compact to " + upToIndex + ": the log holds "
                    + firstIndex() + ".." + lastIndex());
        }
        long term = positions.term(upToIndex);
        wal.write(() -> {
            wal.add(new WalRecord.Compacted(upToIndex, term));
            compactedTo(upToIndex, term);
        }, true);
        wal.deleteSegmentsThrough(upToIndex);
    }

    @Override
    public void reset(long snapshotIndex, long snapshotTerm) {
        wal.write(() -> {
            wal.add(new WalRecord.Reset(snapshotIndex, snapshotTerm));
            resetTo(snapshotIndex, snapshotTerm);
            unplacedFrom = Long.MAX_VALUE;
            wal.dropOlderSegmentsAfterWrite();
        }, true);
    }

    /** The compaction point as a record: what a new segment restates first. */
    WalRecord compactionPoint() {
        return new WalRecord.Compacted(startIndex, startTerm);
    }

    @Override
    public void close() {
        // The write-ahead log is owned and closed by WalStorage.
    }
}
