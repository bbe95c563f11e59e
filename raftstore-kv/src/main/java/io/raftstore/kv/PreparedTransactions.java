package io.raftstore.kv;

import io.raftstore.core.codec.BinaryReader;
import io.raftstore.core.codec.BinaryWriter;
import io.raftstore.storage.h2.Checksums;
import org.h2.mvstore.Cursor;

import java.util.ArrayList;
import java.util.List;

/**
 * The prepared two-phase transactions in the state database: {@code kv.prepared} (transaction id to the
 * sealed {@link PreparedTransaction}) and {@code kv.held} (each held key to the transaction holding it), so
 * that a write finds a held key with one lookup. Both maps are written through, like the sessions: they
 * change once per prepare, commit or rollback, and join the apply's transaction.
 */
final class PreparedTransactions {
    private final KvTables tables;

    PreparedTransactions(KvTables tables) {
        this.tables = tables;
    }

    /** The transaction holding {@code key}, or null. */
    String holder(String key) {
        return tables.held.get(key);
    }

    PreparedTransaction find(String txId) {
        return decode(txId, tables.prepared.get(txId));
    }

    /** Records a transaction and holds its keys (also used when restoring a snapshot). */
    void put(PreparedTransaction tx) {
        tables.prepared.put(tx.txId(), encode(tx));
        for (String key : tx.keys()) {
            tables.held.put(key, tx.txId());
        }
    }

    /** Forgets a transaction and releases its keys. */
    void release(PreparedTransaction tx) {
        tables.prepared.remove(tx.txId());
        for (String key : tx.keys()) {
            tables.held.remove(key);
        }
    }

    List<PreparedTransaction.Summary> list() {
        List<PreparedTransaction.Summary> out = new ArrayList<>();
        Cursor<String, byte[]> c = tables.prepared.cursor(null);
        while (c.hasNext()) {
            String txId = c.next();
            out.add(decode(txId, c.getValue()).summary());
        }
        return out;
    }

    static byte[] encode(PreparedTransaction tx) {
        BinaryWriter w = new BinaryWriter(64);
        tx.writeTo(w);
        return Checksums.seal(w.toByteArray());
    }

    PreparedTransaction decode(String txId, byte[] stored) {
        if (stored == null) {
            return null;
        }
        try {
            BinaryReader r = new BinaryReader(Checksums.open(stored, "prepared transaction '" + txId + "'"));
            PreparedTransaction tx = PreparedTransaction.readFrom(r);
            r.expectEnd();
            return tx;
        } catch (RuntimeException e) {
            throw tables.db.damaged(e.getMessage());
        }
    }
}
