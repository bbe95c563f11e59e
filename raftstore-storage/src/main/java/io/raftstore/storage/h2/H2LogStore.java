package io.raftstore.storage.h2;

import io.raftstore.core.LogEntry;
import io.raftstore.core.codec.BinaryReader;
import io.raftstore.core.codec.BinaryWriter;
import io.raftstore.core.storage.CompactedException;
import io.raftstore.core.storage.LogStore;
import io.raftstore.core.storage.StorageException;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;

import java.util.Iterator;
import java.util.List;

/**
 * The Raft log in the node's H2 database: map {@value #LOG_MAP} from index to entry, and the compaction
 * point (index and term of the last discarded entry) in map {@value #META_MAP}. Every mutation is one
 * {@link H2Database#write} — one commit and one fsync for a whole batch of entries (group commit), or
 * none of its own when the driver wraps several stores' writes in one outer transaction.
 *
 * <p>Nothing is cached in memory: the bounds are read from the map (O(log n)), so a rolled-back transaction
 * can never leave this object disagreeing with the file.
 */
public final class H2LogStore implements LogStore {
    static final String LOG_MAP = "raft.log";
    static final String META_MAP = "raft.meta";
    private static final String START_KEY = "log.start";

    private final H2Database db;
    private final MVMap<Long, byte[]> log;
    private final MVMap<String, byte[]> meta;

    /** Opens the log of {@code db} and verifies it; see {@link #verify()}. */
    public H2LogStore(H2Database db) {
        this.db = db;
        this.log = db.map(LOG_MAP, LongDataType.INSTANCE, ByteArrayDataType.INSTANCE);
        this.meta = db.map(META_MAP, StringDataType.INSTANCE, ByteArrayDataType.INSTANCE);
        verify();
    }

    /** True when {@code db} holds a Raft log or hard state of this store, without creating its maps. */
    static boolean holdsLog(H2Database db) {
        if (db.hasMap(META_MAP)) {
            MVMap<String, byte[]> meta = db.map(META_MAP, StringDataType.INSTANCE, ByteArrayDataType.INSTANCE);
            if (meta.containsKey(START_KEY) || meta.containsKey(H2HardStateStore.KEY)) {
                return true;
            }
        }
        return db.hasMap(LOG_MAP) && !db.map(LOG_MAP, LongDataType.INSTANCE, ByteArrayDataType.INSTANCE).isEmpty();
    }

    /**
     * Checks what can be checked cheaply on open: the first entry follows the compaction point, the entries
     * are contiguous (count equals the span) and the first and last entries decode.
     *
     * @throws StorageException naming the database file when the log is damaged
     */
    void verify() {
        long[] start = start();
        if (log.isEmpty()) {
            return;
        }
        long first = log.firstKey();
        long last = log.lastKey();
        if (first != start[0] + 1) {
            throw db.damaged("the Raft log starts at index " + first + " but its compaction point is " + start[0]);
        }
        if (log.sizeAsLong() != last - first + 1) {
            throw db.damaged("the Raft log has a gap: " + log.sizeAsLong() + " entries between indexes " + first
                    + " and " + last);
        }
        entry(first);
        entry(last);
    }

    @Override
    public long firstIndex() {
        return start()[0] + 1;
    }

    @Override
    public long lastIndex() {
        Long last = log.lastKey();
        return last == null ? start()[0] : last;
    }

    @Override
    public long term(long index) {
        long[] start = start();
        if (index == start[0]) {
            return start[1];
        }
        if (index < start[0]) {
            throw new CompactedException(index, start[0] + 1);
        }
        if (index > lastIndex()) {
            throw new IllegalArgumentException("log index " + index + " is beyond the last index " + lastIndex());
        }
        return entry(index).term();
    }

    @Override
    public List<LogEntry> entries(long from, long toInclusive, long maxBytes) {
        long first = firstIndex();
        if (from < first) {
            throw new CompactedException(from, first);
        }
        long last = lastIndex();
        if (toInclusive > last) {
            throw new IllegalArgumentException("entries up to " + toInclusive + " requested, the log ends at " + last);
        }
        Cursor<Long, byte[]> cursor = log.cursor(from, toInclusive, false);
        return LogStore.withinBudget(new Iterator<>() {
            @Override
            public boolean hasNext() {
                return cursor.hasNext();
            }

            @Override
            public LogEntry next() {
                long index = cursor.next();
                return decode(index, cursor.getValue()); // decoded one at a time: the budget stops early
            }
        }, maxBytes);
    }

    @Override
    public void append(List<LogEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        long from = entries.get(0).index();
        db.write(() -> {
            long last = lastIndex();
            LogStore.checkAppend(entries, firstIndex(), last);
            for (long i = last; i >= from; i--) { // drop the conflicting suffix, newest first
                log.remove(i);
            }
            for (LogEntry e : entries) {
                log.put(e.index(), LogEntryCodec.encode(e));
            }
        });
    }

    @Override
    public void compact(long upToIndex) {
        db.write(() -> {
            long[] start = start();
            if (upToIndex == start[0]) {
                return;
            }
            if (upToIndex < start[0] || upToIndex > lastIndex()) {
                throw new IllegalArgumentException("cannot compact to " + upToIndex + ": the log holds "
                        + firstIndex() + ".." + lastIndex());
            }
            long term = entry(upToIndex).term();
            if (upToIndex == lastIndex()) {
                log.clear(); // everything goes: one operation instead of one removal per entry
            } else {
                for (long i = start[0] + 1; i <= upToIndex; i++) {
                    log.remove(i);
                }
            }
            setStart(upToIndex, term);
        });
    }

    @Override
    public void reset(long snapshotIndex, long snapshotTerm) {
        db.write(() -> {
            log.clear();
            setStart(snapshotIndex, snapshotTerm);
        });
    }

    @Override
    public void close() {
        // The database is owned and closed by NodeStorage.
    }

    private LogEntry entry(long index) {
        byte[] stored = log.get(index);
        if (stored == null) {
            throw db.damaged("log entry " + index + " is missing");
        }
        return decode(index, stored);
    }

    private LogEntry decode(long index, byte[] stored) {
        try {
            return LogEntryCodec.decode(index, stored);
        } catch (RuntimeException e) {
            throw db.damaged(e.getMessage());
        }
    }

    /** {index, term} of the compaction point. */
    private long[] start() {
        byte[] stored = meta.get(START_KEY);
        if (stored == null) {
            return new long[] {0, 0};
        }
        try {
            BinaryReader r = new BinaryReader(Checksums.open(stored, "the log's compaction point"));
            long[] start = {r.readVarLong(), r.readVarLong()};
            r.expectEnd();
            return start;
        } catch (RuntimeException e) {
            throw db.damaged(e.getMessage());
        }
    }

    private void setStart(long index, long term) {
        meta.put(START_KEY, Checksums.seal(new BinaryWriter(20).writeVarLong(index).writeVarLong(term).toByteArray()));
    }
}
