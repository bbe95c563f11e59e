package io.raftstore.kv;

import io.raftstore.core.codec.BinaryReader;
import io.raftstore.core.codec.BinaryWriter;
import io.raftstore.core.codec.CodecException;

import java.util.ArrayList;
import java.util.List;

/**
 * Binary encoding of {@link KvCommand}s (the payload of COMMAND log entries) and {@link KvResult}s (what
 * {@link KvStateMachine#apply} returns per entry). Each encoding starts with a format byte so that the
 * format can evolve; decoders reject anything else with {@link CodecException}.
 */
public final class KvCodec {
    private static final int FORMAT = 1;

    private KvCodec() {
    }

    public static byte[] encode(KvCommand command) {
        return BinaryWriter.encodeExactly(w -> writeCommand(w.writeByte(FORMAT), command));
    }

    public static KvCommand decodeCommand(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        checkFormat(r);
        KvCommand c = readCommand(r);
        r.expectEnd();
        return c;
    }

    public static byte[] encode(KvResult result) {
        return BinaryWriter.encodeExactly(w -> writeResult(w.writeByte(FORMAT), result));
    }

    public static KvResult decodeResult(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        checkFormat(r);
        KvResult result = readResult(r);
        r.expectEnd();
        return result;
    }

    private static void checkFormat(BinaryReader r) {
        int format = r.readByte();
        if (format != FORMAT) {
            throw new CodecException("unknown key-value encoding format " + format);
        }
    }

    private static void writeCommand(BinaryWriter w, KvCommand command) {
        if (command instanceof KvCommand.Get c) {
            w.writeByte(1).writeString(c.key());
        } else if (command instanceof KvCommand.Put c) {
            w.writeByte(2).writeString(c.key()).writeBytes(c.value());
        } else if (command instanceof KvCommand.PutIfAbsent c) {
            w.writeByte(3).writeString(c.key()).writeBytes(c.value());
        } else if (command instanceof KvCommand.CompareAndSet c) {
            w.writeByte(4).writeString(c.key()).writeSignedVarLong(c.expectedVersion()).writeBytes(c.value());
        } else if (command instanceof KvCommand.Delete c) {
            w.writeByte(5).writeString(c.key()).writeBoolean(c.expectedVersion() != null);
            if (c.expectedVersion() != null) {
                w.writeSignedVarLong(c.expectedVersion());
            }
        } else if (command instanceof KvCommand.Increment c) {
            w.writeByte(6).writeString(c.key()).writeSignedVarLong(c.delta());
        } else if (command instanceof KvCommand.Scan c && c.after() == null) {
            w.writeByte(7).writeString(c.prefix()).writeSignedVarLong(c.limit());
        } else if (command instanceof KvCommand.Scan c) {
            // A tag of its own, so that a scan from the start stays readable by nodes that predate this one.
            w.writeByte(13).writeString(c.prefix()).writeString(c.after()).writeSignedVarLong(c.limit());
        } else if (command instanceof KvCommand.Batch c) {
            w.writeByte(8);
            writeBatch(w, c.conditions(), c.operations());
        } else if (command instanceof KvCommand.Prepare c) {
            w.writeByte(9).writeString(c.txId());
            writeBatch(w, c.conditions(), c.operations());
        } else if (command instanceof KvCommand.CommitPrepared c) {
            w.writeByte(10).writeString(c.txId());
        } else if (command instanceof KvCommand.RollbackPrepared c) {
            w.writeByte(11).writeString(c.txId());
        } else if (command instanceof KvCommand.ListPrepared) {
            w.writeByte(12);
        } else {
            throw new IllegalArgumentException("unknown command " + command);
        }
    }

    private static KvCommand readCommand(BinaryReader r) {
        int tag = r.readByte();
        return switch (tag) {
            case 1 -> new KvCommand.Get(key(r));
            case 2 -> new KvCommand.Put(key(r), r.readBytes());
            case 3 -> new KvCommand.PutIfAbsent(key(r), r.readBytes());
            case 4 -> {
                String key = key(r);
                long expected = r.readSignedVarLong();
                yield new KvCommand.CompareAndSet(key, expected, r.readBytes());
            }
            case 5 -> {
                String key = key(r);
                yield new KvCommand.Delete(key, r.readBoolean() ? r.readSignedVarLong() : null);
            }
            case 6 -> new KvCommand.Increment(key(r), r.readSignedVarLong());
            case 7 -> new KvCommand.Scan(key(r), (int) r.readSignedVarLong());
            case 13 -> new KvCommand.Scan(key(r), r.readString(), (int) r.readSignedVarLong());
            case 8 -> {
                List<Condition> conditions = readConditions(r);
                yield new KvCommand.Batch(conditions, readMutations(r));
            }
            case 9 -> {
                String txId = key(r);
                List<Condition> conditions = readConditions(r);
                yield new KvCommand.Prepare(txId, conditions, readMutations(r));
            }
            case 10 -> new KvCommand.CommitPrepared(key(r));
            case 11 -> new KvCommand.RollbackPrepared(key(r));
            case 12 -> new KvCommand.ListPrepared();
            default -> throw new CodecException("unknown command tag " + tag);
        };
    }

    private static void writeBatch(BinaryWriter w, List<Condition> conditions, List<KvCommand.Mutation> operations) {
        w.writeVarLong(conditions.size());
        for (Condition condition : conditions) {
            writeCondition(w, condition);
        }
        w.writeVarLong(operations.size());
        for (KvCommand.Mutation m : operations) {
            writeCommand(w, (KvCommand) m);
        }
    }

    // Both bounded generously above any configured batch limit: the limit itself is checked when applying.
    private static List<Condition> readConditions(BinaryReader r) {
        int n = r.readLength("batch conditions", 1 << 20);
        List<Condition> conditions = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            conditions.add(readCondition(r));
        }
        return conditions;
    }

    private static List<KvCommand.Mutation> readMutations(BinaryReader r) {
        int m = r.readLength("batch operations", 1 << 20);
        List<KvCommand.Mutation> ops = new ArrayList<>(Math.min(m, 1024));
        for (int i = 0; i < m; i++) {
            KvCommand op = readCommand(r);
            if (!(op instanceof KvCommand.Mutation mutation)) {
                throw new CodecException("batch operation " + i + " is not a put, delete or increment");
            }
            ops.add(mutation);
        }
        return ops;
    }

    private static void writeCondition(BinaryWriter w, Condition condition) {
        if (condition instanceof Condition.VersionEquals c) {
            w.writeByte(1).writeString(c.key()).writeSignedVarLong(c.version());
        } else if (condition instanceof Condition.KeyAbsent c) {
            w.writeByte(2).writeString(c.key());
        } else if (condition instanceof Condition.KeyExists c) {
            w.writeByte(3).writeString(c.key());
        } else {
            throw new IllegalArgumentException("unknown condition " + condition);
        }
    }

    private static Condition readCondition(BinaryReader r) {
        int tag = r.readByte();
        return switch (tag) {
            case 1 -> new Condition.VersionEquals(key(r), r.readSignedVarLong());
            case 2 -> new Condition.KeyAbsent(key(r));
            case 3 -> new Condition.KeyExists(key(r));
            default -> throw new CodecException("unknown condition tag " + tag);
        };
    }

    private static void writeResult(BinaryWriter w, KvResult result) {
        if (result instanceof KvResult.Value v) {
            w.writeByte(1);
            writeValue(w, v);
        } else if (result instanceof KvResult.NotFound v) {
            w.writeByte(2).writeString(v.key());
        } else if (result instanceof KvResult.Written v) {
            w.writeByte(3).writeString(v.key()).writeVarLong(v.version()).writeBoolean(v.created());
        } else if (result instanceof KvResult.Deleted v) {
            w.writeByte(4).writeString(v.key()).writeBoolean(v.existed()).writeVarLong(v.previousVersion())
                    .writeVarLong(v.index());
        } else if (result instanceof KvResult.Counter v) {
            w.writeByte(5).writeString(v.key()).writeSignedVarLong(v.value()).writeVarLong(v.version());
        } else if (result instanceof KvResult.ScanResult v) {
            w.writeByte(6).writeVarLong(v.entries().size());
            for (KvResult.Value e : v.entries()) {
                writeValue(w, e);
            }
            w.writeBoolean(v.more());
        } else if (result instanceof KvResult.BatchApplied v) {
            w.writeByte(7).writeVarLong(v.index()).writeVarLong(v.results().size());
            for (KvResult each : v.results()) {
                writeResult(w, each);
            }
        } else if (result instanceof KvResult.ConditionFailed v) {
            w.writeByte(8).writeVarLong(v.conditionIndex());
            writeCondition(w, v.condition());
            w.writeVarLong(v.actualVersion());
        } else if (result instanceof KvResult.Rejected v) {
            w.writeByte(9).writeVarLong(v.reason().ordinal()).writeString(v.message());
        } else if (result instanceof KvResult.SessionExpired v) {
            w.writeByte(10).writeVarLong(v.clientId()).writeVarLong(v.sequence());
        } else if (result instanceof KvResult.Prepared v) {
            w.writeByte(11).writeString(v.txId()).writeVarLong(v.index());
        } else if (result instanceof KvResult.PreparedReleased v) {
            w.writeByte(12).writeString(v.txId());
        } else if (result instanceof KvResult.UnknownTransaction v) {
            w.writeByte(13).writeString(v.txId());
        } else if (result instanceof KvResult.KeyHeld v) {
            w.writeByte(14).writeString(v.key()).writeVarLong(v.version()).writeString(v.txId());
        } else if (result instanceof KvResult.PreparedList v) {
            w.writeByte(15).writeVarLong(v.transactions().size());
            for (PreparedTransaction.Summary s : v.transactions()) {
                w.writeString(s.txId()).writeVarLong(s.index()).writeVarLong(s.keys().size());
                s.keys().forEach(w::writeString);
            }
        } else {
            throw new IllegalArgumentException("unknown result " + result);
        }
    }

    private static KvResult readResult(BinaryReader r) {
        int tag = r.readByte();
        return switch (tag) {
            case 1 -> readValue(r);
            case 2 -> new KvResult.NotFound(key(r));
            case 3 -> new KvResult.Written(key(r), r.readVarLong(), r.readBoolean());
            case 4 -> new KvResult.Deleted(key(r), r.readBoolean(), r.readVarLong(), r.readVarLong());
            case 5 -> new KvResult.Counter(key(r), r.readSignedVarLong(), r.readVarLong());
            case 6 -> {
                int n = r.readLength("scan entries", 1 << 24);
                List<KvResult.Value> entries = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    entries.add(readValue(r));
                }
                yield new KvResult.ScanResult(entries, r.readBoolean());
            }
            case 7 -> {
                long index = r.readVarLong();
                int n = r.readLength("batch results", 1 << 20);
                List<KvResult> results = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    results.add(readResult(r));
                }
                yield new KvResult.BatchApplied(index, results);
            }
            case 8 -> new KvResult.ConditionFailed(r.readLength("condition index", Integer.MAX_VALUE),
                    readCondition(r), r.readVarLong());
            case 9 -> {
                int ordinal = r.readLength("reason", KvResult.Reason.values().length - 1);
                yield new KvResult.Rejected(KvResult.Reason.values()[ordinal], r.readString());
            }
            case 10 -> new KvResult.SessionExpired(r.readVarLong(), r.readVarLong());
            case 11 -> new KvResult.Prepared(key(r), r.readVarLong());
            case 12 -> new KvResult.PreparedReleased(key(r));
            case 13 -> new KvResult.UnknownTransaction(key(r));
            case 14 -> new KvResult.KeyHeld(key(r), r.readVarLong(), key(r));
            case 15 -> readPreparedList(r);
            default -> throw new CodecException("unknown result tag " + tag);
        };
    }

    private static KvResult.PreparedList readPreparedList(BinaryReader r) {
        int n = r.readLength("prepared transactions", 1 << 24);
        List<PreparedTransaction.Summary> list = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            String txId = key(r);
            long index = r.readVarLong();
            int k = r.readLength("held keys", 1 << 20);
            List<String> keys = new ArrayList<>(Math.min(k, 1024));
            for (int j = 0; j < k; j++) {
                keys.add(key(r));
            }
            list.add(new PreparedTransaction.Summary(txId, index, keys));
        }
        return new KvResult.PreparedList(list);
    }

    private static void writeValue(BinaryWriter w, KvResult.Value v) {
        w.writeString(v.key()).writeBytes(v.value()).writeVarLong(v.version()).writeVarLong(v.createIndex());
    }

    private static KvResult.Value readValue(BinaryReader r) {
        return new KvResult.Value(key(r), r.readBytes(), r.readVarLong(), r.readVarLong());
    }

    private static String key(BinaryReader r) {
        String key = r.readString();
        if (key == null) {
            throw new CodecException("missing key");
        }
        return key;
    }
}
