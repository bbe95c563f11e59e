package io.raftstore.storage.h2;

import io.raftstore.core.EntryType;
import io.raftstore.core.LogEntry;
import io.raftstore.kv.KvCodec;
import io.raftstore.kv.KvCommand;
import io.raftstore.kv.KvResult;
import io.raftstore.node.storage.NodeStorage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Entries for storage tests: each one a put of {@code k<index>} and an increment of a shared counter. */
final class StorageFixtures {
    private StorageFixtures() {
    }

    /** Entries [from, to] of {@code term}, alternating puts of {@code k<i>} and increments of {@code counter}. */
    static List<LogEntry> commands(long from, long to, long term) {
        List<LogEntry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            KvCommand c = i % 2 == 0 ? new KvCommand.Increment("counter", 1)
                    : new KvCommand.Put("k" + i, ("v" + i).getBytes(StandardCharsets.UTF_8));
            out.add(new LogEntry(term, i, EntryType.COMMAND, 0, 0, KvCodec.encode(c)));
        }
        return out;
    }

    /** Expected counter value once entries 1..applied are applied. */
    static long counterAfter(long applied) {
        return applied / 2;
    }

    /** The value of {@code key} in the node's key-value state, or null. */
    static String value(NodeStorage s, String key) {
        KvResult r = s.stateMachine().read(new KvCommand.Get(key));
        return r instanceof KvResult.Value v ? new String(v.value(), StandardCharsets.UTF_8) : null;
    }

    /** The value of the counter the entries increment (0 before the first increment). */
    static long counter(NodeStorage s) {
        String v = value(s, "counter");
        return v == null ? 0 : Long.parseLong(v);
    }
}
