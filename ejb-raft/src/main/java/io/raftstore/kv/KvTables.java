package io.raftstore.kv;

import io.raftstore.core.codec.BinaryReader;
import io.raftstore.core.codec.BinaryWriter;
import io.raftstore.storage.h2.Checksums;
import io.raftstore.storage.h2.H2Database;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;

/**
 * The key-value state in the node's H2 database: {@code kv.data} (key to value, version and creation
 * index), the client sessions ({@code kv.sessions}, {@code kv.sessionLru}) and {@code kv.meta} (applied
 * index and term). A restore builds a second set of maps under a suffix and swaps it in.
 */
final class KvTables {
    static final String STAGING = ".restore";
    private static final String APPLIED = "applied";

    final H2Database db;
    final MVMap<String, byte[]> data;
    final MVMap<Long, byte[]> sessions;
    final MVMap<Long, Long> sessionLru;
    final MVMap<String, byte[]> meta;

    private KvTables(H2Database db, String suffix) {
        this.db = db;
        this.data = db.map("kv.data" + suffix, StringDataType.INSTANCE, ByteArrayDataType.INSTANCE);
        this.sessions = db.map("kv.sessions" + suffix, LongDataType.INSTANCE, ByteArrayDataType.INSTANCE);
        this.sessionLru = db.map("kv.sessionLru" + suffix, LongDataType.INSTANCE, LongDataType.INSTANCE);
        this.meta = db.map("kv.meta" + suffix, StringDataType.INSTANCE, ByteArrayDataType.INSTANCE);
    }

    static KvTables live(H2Database db) {
        return new KvTables(db, "");
    }

    /** Empty staging maps for a restore; leftovers of an interrupted restore are dropped first. */
    static KvTables freshStaging(H2Database db) {
        dropStaging(db);
        return new KvTables(db, STAGING);
    }

    static void dropStaging(H2Database db) {
        if (db.hasMap("kv.meta" + STAGING) || db.hasMap("kv.data" + STAGING)) {
            KvTables t = new KvTables(db, STAGING);
            t.removeAll();
        }
    }

    private void removeAll() {
        db.removeMap(data);
        db.removeMap(sessions);
        db.removeMap(sessionLru);
        db.removeMap(meta);
    }

    /** Replaces {@code live} by these (staging) maps; part of the caller's transaction. */
    KvTables replace(KvTables live) {
        String[] names = {live.data.getName(), live.sessions.getName(), live.sessionLru.getName(), live.meta.getName()};
        live.removeAll();
        db.renameMap(data, names[0]);
        db.renameMap(sessions, names[1]);
        db.renameMap(sessionLru, names[2]);
        db.renameMap(meta, names[3]);
        return this;
    }

    /** One stored key. */
    record Entry(byte[] value, long version, long createIndex) {
    }

    Entry get(String key) {
        return decode(key, data.get(key));
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
        data.put(key, encode(e));
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
        return decodeApplied(meta.get(APPLIED));
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
        meta.put(APPLIED, Checksums.seal(new BinaryWriter(20).writeVarLong(index).writeVarLong(term).toByteArray()));
    }

    static String appliedKey() {
        return APPLIED;
    }
}
