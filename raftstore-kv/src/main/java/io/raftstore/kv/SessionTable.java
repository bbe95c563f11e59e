package io.raftstore.kv;

import io.raftstore.core.codec.BinaryReader;
import io.raftstore.core.codec.BinaryWriter;
import io.raftstore.storage.h2.Checksums;

/**
 * Client sessions for exactly-once application: per client the last applied sequence number, the log
 * index it was applied at and its encoded result. At most {@code maxSessions} are kept; beyond that the
 * session whose last request has the lowest log index is evicted. Eviction depends only on the log, so
 * every node evicts the same sessions.
 */
final class SessionTable {
    private final KvTables tables;
    private final int maxSessions;

    SessionTable(KvTables tables, int maxSessions) {
        this.tables = tables;
        this.maxSessions = maxSessions;
    }

    /** A client's last applied request. */
    record Session(long clientId, long sequence, long index, byte[] result) {
        byte[] encode() {
            return Checksums.seal(new BinaryWriter(result.length + 24).writeVarLong(sequence).writeVarLong(index)
                    .writeBytes(result).toByteArray());
        }

        static Session decode(long clientId, byte[] sealed) {
            BinaryReader r = new BinaryReader(Checksums.open(sealed, "session of client " + clientId));
            Session s = new Session(clientId, r.readVarLong(), r.readVarLong(), r.readBytes());
            r.expectEnd();
            return s;
        }
    }

    Session find(long clientId) {
        byte[] stored = tables.sessions.get(clientId);
        if (stored == null) {
            return null;
        }
        try {
            return Session.decode(clientId, stored);
        } catch (RuntimeException e) {
            throw tables.db.damaged(e.getMessage());
        }
    }

    /** Records a newly applied request and evicts the least recently used sessions beyond the bound. */
    void record(Session session) {
        Session old = find(session.clientId());
        if (old != null) {
            tables.sessionLru.remove(old.index());
        }
        put(session);
        while (tables.sessions.sizeAsLong() > maxSessions) {
            long oldestIndex = tables.sessionLru.firstKey();
            long clientId = tables.sessionLru.remove(oldestIndex);
            tables.sessions.remove(clientId);
        }
    }

    /** Stores a session as is (used when restoring a snapshot). */
    void put(Session session) {
        tables.sessions.put(session.clientId(), session.encode());
        tables.sessionLru.put(session.index(), session.clientId());
    }
}
