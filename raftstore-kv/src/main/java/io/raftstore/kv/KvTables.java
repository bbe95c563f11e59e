package io.raftstore.kv;

import io.raftstore.core.codec.BinaryReader;
import io.raftstore.core.codec.BinaryWriter;
import io.raftstore.storage.h2.Checksums;
import io.raftstore.storage.h2.H2Database;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;

import java.util.HashMap;
import java.util.Map;

/**
 * The key-value state in the node's H2 database: {@code kv.data} (key to value, version and creation
 * index), the client sessions ({@code kv.sessions}, {@code kv.sessionLru}), the prepared two-phase
 * transactions ({@code kv.prepared}, {@code kv.held}) and {@code kv.meta} (applied index and term). A restore builds a second set of maps under a suffix and swaps it in.
 *
 * <h2>Write-back</h2>
 * The live tables buffer key writes and the applied index in memory ({@link #flushPending}) and the node
 * writes them into the maps just before each commit of the state database. A put into an H2 map copies
 * the leaf page and the path to it, and a key written many times between two checkpoints paid that every
 * time; now it is one map write per key and checkpoint. The applied index is buffered too, so that no
 * commit (not even a restore's staging commit) can store it ahead of the data it stands for. The live
 * tables also keep recently read or written keys decoded ({@value #CACHE_BYTES} bytes at most, dropped
 * whole when full): a B-tree lookup was the larger part of applying a write once writes were buffered.
 * Staging tables write through: a restore bounds its memory by committing as it goes.
 */
final class KvTables {
    static final String STAGING = ".restore";
    private static final String APPLIED = "applied";

    final H2Database db;
    final MVMap<String, byte[]> data;
    final MVMap<Long, byte[]> sessions;
    final MVMap<Long, Long> sessionLru;
    final MVMap<String, byte[]> meta;
    /** Prepared two-phase transactions and the keys they hold: see {@link PreparedTransactions}. */
    final MVMap<String, byte[]> prepared;
    final MVMap<String, String> held;
    /** Key writes not yet in {@link #data} ({@link #DELETED} for a removal); null when writing through. */
    private final Map<String, Entry> pending;
    private long pendingBytes;
    /** {index, term} applied but not yet in {@link #meta}; null when none is pending. */
    private volatile long[] pendingApplied;

    private static final Entry DELETED = new Entry(new byte[0], -1, -1);
    static final long CACHE_BYTES = 32L << 20;
    /** Decoded keys as the maps plus {@link #pending} hold them ({@link #DELETED}: absent); null when writing through. */
    private final Map<String, Entry> cache;
    private long cacheBytes;

    private KvTables(H2Database db, String suffix, boolean writeBack) {
        this.db = db;
        this.data = db.map("kv.data" + suffix, StringDataType.INSTANCE, ByteArrayDataType.INSTANCE);
        this.sessions = db.map("kv.sessions" + suffix, LongDataType.INSTANCE, ByteArrayDataType.INSTANCE);
        this.sessionLru = db.map("kv.sessionLru" + suffix, LongDataType.INSTANCE, LongDataType.INSTANCE);
        this.meta = db.map("kv.meta" + suffix, StringDataType.INSTANCE, ByteArrayDataType.INSTANCE);
        this.prepared = db.map("kv.prepared" + suffix, StringDataType.INSTANCE, ByteArrayDataType.INSTANCE);
        this.held = db.map("kv.held" + suffix, StringDataType.INSTANCE, StringDataType.INSTANCE);
        this.pending = writeBack ? new HashMap<>() : null;
        this.cache = writeBack ? new HashMap<>() : null;
    }

    /** The same maps, buffering writes. */
    private KvTables(KvTables maps) {
        this.db = maps.db;
        this.data = maps.data;
        this.sessions = maps.sessions;
        this.sessionLru = maps.sessionLru;
        this.meta = maps.meta;
        this.prepared = maps.prepared;
        this.held = maps.held;
        this.pending = new HashMap<>();
        this.cache = new HashMap<>();
    }

    static KvTables live(H2Database db) {
        return new KvTables(db, "", true);
    }

    /** Empty staging maps for a restore; leftovers of an interrupted restore are dropped first. */
    static KvTables freshStaging(H2Database db) {
        dropStaging(db);
        return new KvTables(db, STAGING, false);
    }

    static void dropStaging(H2Database db) {
        if (db.hasMap("kv.meta" + STAGING) || db.hasMap("kv.data" + STAGING)) {
            KvTables t = new KvTables(db, STAGING, false);
            t.removeAll();
        }
    }

    private void removeAll() {
        db.removeMap(data);
        db.removeMap(sessions);
        db.removeMap(sessionLru);
        db.removeMap(meta);
        db.removeMap(prepared);
        db.removeMap(held);
    }

    /**
     * Replaces {@code live} by these (staging) maps, dropping what {@code live} still buffered; part of the
     * caller's transaction. Returns the new live tables.
     */
    KvTables replace(KvTables live) {
        String[] names = {live.data.getName(), live.sessions.getName(), live.sessionLru.getName(), live.meta.getName(),
            live.prepared.getName(), live.held.getName()};
        live.discardPending();
        live.removeAll();
        db.renameMap(data, names[0]);
        db.renameMap(sessions, names[1]);
        db.renameMap(sessionLru, names[2]);
        db.renameMap(meta, names[3]);
        db.renameMap(prepared, names[4]);
        db.renameMap(held, names[5]);
        return new KvTables(this);
    }

    /** One stored key. */
    record Entry(byte[] value, long version, long createIndex) {
    }

    Entry get(String key) {
        if (cache == null) {
            return decode(key, data.get(key));
        }
        Entry known = cache.get(key);
        if (known == null) {
            known = pending.get(key); // after a full cache was dropped, buffered writes are only here
            if (known == null) {
                Entry stored = decode(key, data.get(key));
                known = stored == null ? DELETED : stored;
            }
            remember(key, known);
        }
        return known == DELETED ? null : known;
    }

    /** About the memory a buffered or cached key takes: value, key characters, map and record overhead. */
    private static long footprint(String key, Entry e) {
        return e.value().length + 2L * key.length() + 64;
    }

    private void remember(String key, Entry e) {
        long size = footprint(key, e);
        if (cacheBytes + size > CACHE_BYTES) {
            cache.clear();
            cacheBytes = 0;
        }
        // A key written again replaces its entry: only the difference counts (counting every write emptied
        // the cache every few seconds under a steady load on a fixed set of keys).
        Entry old = cache.put(key, e);
        cacheBytes += size - (old == null ? 0 : footprint(key, old));
    }

    /** Approximate bytes the decoded-key cache holds. */
    long cachedBytes() {
        return cacheBytes;
    }

    Entry decode(String key, byte[] stored) {
        if (stored == null) {
            return null;
        }
        try {
            BinaryReader r = new BinaryReader(Checksums.open(stored, "key '" + key + "'"));
            Entry e = new Entry(r.readBytes(), r.readVarLong(), r.readVarLong());
            r.expectEnd();
            return e;
        } catch (RuntimeException e) {
            throw db.damaged(e.getMessage());
        }
    }

    void put(String key, Entry e) {
        if (pending == null) {
            data.put(key, encode(e));
        } else {
            Entry old = pending.put(key, e);
            pendingBytes += footprint(key, e) - (old == null ? 0 : footprint(key, old));
            remember(key, e);
        }
    }

    void remove(String key) {
        if (pending == null) {
            data.remove(key);
        } else {
            Entry old = pending.put(key, DELETED);
            pendingBytes += footprint(key, DELETED) - (old == null ? 0 : footprint(key, old));
            remember(key, DELETED);
        }
    }

    /** Keys in order from {@code from} (null: the first), everything buffered included. */
    Cursor<String, byte[]> cursor(String from) {
        flushPending();
        return data.cursor(from);
    }

    /** Writes the buffered keys and applied index into the maps (uncommitted: part of the coming commit). */
    void flushPending() {
        if (pending == null) {
            return;
        }
        for (Map.Entry<String, Entry> e : pending.entrySet()) {
            if (e.getValue() == DELETED) {
                data.remove(e.getKey());
            } else {
                data.put(e.getKey(), encode(e.getValue()));
            }
        }
        long[] applied = pendingApplied;
        if (applied != null) {
            writeApplied(applied[0], applied[1]);
        }
        clearPending(); // the cache stays: it now agrees with the maps
    }

    private void clearPending() {
        pending.clear();
        pendingBytes = 0;
        pendingApplied = null;
    }

    /** Forgets what is buffered and cached: a rollback took the maps back, or a restore replaces them. */
    void discardPending() {
        if (pending != null) {
            clearPending();
            cache.clear();
            cacheBytes = 0;
        }
    }

    /** Approximate bytes buffered; the node checkpoints early when they grow large. */
    long pendingBytes() {
        return pendingBytes;
    }

    static byte[] encode(Entry e) {
        return Checksums.seal(new BinaryWriter(e.value().length + 24).writeBytes(e.value()).writeVarLong(e.version())
                .writeVarLong(e.createIndex()).toByteArray());
    }

    long version(String key) {
        Entry e = get(key);
        return e == null ? 0 : e.version();
    }

    /** {index, term} of the last applied entry. */
    long[] applied() {
        long[] buffered = pendingApplied;
        return buffered != null ? buffered.clone() : decodeApplied(meta.get(APPLIED));
    }

    long[] decodeApplied(byte[] stored) {
        if (stored == null) {
            return new long[] {0, 0};
        }
        try {
            BinaryReader r = new BinaryReader(Checksums.open(stored, "the applied index"));
            long[] applied = {r.readVarLong(), r.readVarLong()};
            r.expectEnd();
            return applied;
        } catch (RuntimeException e) {
            throw db.damaged(e.getMessage());
        }
    }

    void setApplied(long index, long term) {
        if (pending == null) {
            writeApplied(index, term);
        } else {
            pendingApplied = new long[] {index, term};
        }
    }

    private void writeApplied(long index, long term) {
        meta.put(APPLIED, Checksums.seal(new BinaryWriter(20).writeVarLong(index).writeVarLong(term).toByteArray()));
    }

    static String appliedKey() {
        return APPLIED;
    }
}
