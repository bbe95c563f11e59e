package io.raftstore.kv;

import io.raftstore.core.codec.BinaryReader;
import io.raftstore.core.codec.BinaryWriter;
import io.raftstore.core.codec.CodecException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A two-phase transaction between its {@link KvCommand.Prepare} and its commit or rollback: the log index it
 * was prepared at, every key it holds (read or written) and its writes, increments already resolved to puts
 * (the keys are held, so the values cannot change before the commit). Encoded the same way in the state
 * database and in snapshots.
 *
 * @param writes only {@link KvCommand.Put} and unconditional {@link KvCommand.Delete}
 */
public record PreparedTransaction(String txId, long index, List<String> keys, List<KvCommand.Mutation> writes) {

    private static final int PUT = 1;
    private static final int DELETE = 2;

    public PreparedTransaction {
        Objects.requireNonNull(txId, "txId");
        keys = List.copyOf(keys);
        writes = List.copyOf(writes);
    }

    /** What an operator sees of a prepared transaction: no values. */
    public record Summary(String txId, long index, List<String> keys) {
        public Summary {
            Objects.requireNonNull(txId, "txId");
            keys = List.copyOf(keys);
        }
    }

    Summary summary() {
        return new Summary(txId, index, keys);
    }

    void writeTo(BinaryWriter w) {
        w.writeString(txId).writeVarLong(index).writeVarLong(keys.size());
        keys.forEach(w::writeString);
        w.writeVarLong(writes.size());
        for (KvCommand.Mutation m : writes) {
            if (m instanceof KvCommand.Put p) {
                w.writeByte(PUT).writeString(p.key()).writeBytes(p.value());
            } else {
                w.writeByte(DELETE).writeString(m.key());
            }
        }
    }

    static PreparedTransaction readFrom(BinaryReader r) {
        String txId = string(r);
        long index = r.readVarLong();
        int keyCount = r.readLength("held keys", 1 << 20);
        List<String> keys = new ArrayList<>(Math.min(keyCount, 1024));
        for (int i = 0; i < keyCount; i++) {
            keys.add(string(r));
        }
        int writeCount = r.readLength("prepared writes", 1 << 20);
        List<KvCommand.Mutation> writes = new ArrayList<>(Math.min(writeCount, 1024));
        for (int i = 0; i < writeCount; i++) {
            int kind = r.readByte();
            if (kind == PUT) {
                writes.add(new KvCommand.Put(string(r), r.readBytes()));
            } else if (kind == DELETE) {
                writes.add(KvCommand.Delete.of(string(r)));
            } else {
                throw new CodecException("unknown prepared write kind " + kind);
            }
        }
        return new PreparedTransaction(txId, index, keys, writes);
    }

    private static String string(BinaryReader r) {
        String s = r.readString();
        if (s == null) {
            throw new CodecException("prepared transaction without a transaction id or key");
        }
        return s;
    }
}
