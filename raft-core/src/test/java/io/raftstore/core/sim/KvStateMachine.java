package io.raftstore.core.sim;

import io.raftstore.core.EntryType;
import io.raftstore.core.LogEntry;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.StateMachine;
import io.raftstore.core.codec.BinaryReader;
import io.raftstore.core.codec.BinaryWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The simulation's replicated key-value map, with client sessions for exactly-once commands (see the
 * {@link StateMachine} contract). Sorted maps keep iteration, and therefore snapshots, deterministic. It is
 * volatile: after a simulated crash the node rebuilds it from its latest snapshot and the log.
 */
public final class KvStateMachine implements StateMachine {

    /** Sessions beyond this are evicted, least recently used (by log index) first. */
    static final int MAX_SESSIONS = 64;

    private record Session(long lastSequence, long lastIndex, byte[] lastResult) {
    }

    private final TreeMap<String, String> data = new TreeMap<>();
    private final TreeMap<Long, Session> sessions = new TreeMap<>();
    private long appliedIndex;

    @Override
    public long appliedIndex() {
        return appliedIndex;
    }

    public String get(String key) {
        return data.get(key);
    }

    /** The whole map, for comparing replicas at the end of a run. */
    public SortedMap<String, String> data() {
        return Collections.unmodifiableSortedMap(data);
    }

    @Override
    public List<byte[]> apply(List<LogEntry> entries) {
        List<byte[]> results = new ArrayList<>(entries.size());
        for (LogEntry e : entries) {
            if (e.index() != appliedIndex + 1) {
                // The engine must hand out committed entries contiguously after what was applied.
                throw new IllegalStateException("entry " + e + " handed out for applying, but the state machine"
                        + " has applied up to " + appliedIndex);
            }
            results.add(e.type() == EntryType.COMMAND ? applyCommand(e) : new byte[0]);
            appliedIndex = e.index();
        }
        return results;
    }

    private byte[] applyCommand(LogEntry e) {
        if (e.clientId() == 0) {
            return execute(KvCommand.decode(e.data())).encode();
        }
        Session s = sessions.get(e.clientId());
        if (s != null && e.sequence() == s.lastSequence) {
            // A retry of the last command: answer as the first time, without applying again.
            sessions.put(e.clientId(), new Session(s.lastSequence, e.index(), s.lastResult));
            return s.lastResult;
        }
        if (s != null && e.sequence() < s.lastSequence) {
            return new KvCommand.Result(true, false, null).encode();
        }
        byte[] result = execute(KvCommand.decode(e.data())).encode();
        sessions.put(e.clientId(), new Session(e.sequence(), e.index(), result));
        if (sessions.size() > MAX_SESSIONS) {
            evictLeastRecentlyUsed();
        }
        return result;
    }

    private void evictLeastRecentlyUsed() {
        Long victim = null;
        long oldest = Long.MAX_VALUE;
        for (Map.Entry<Long, Session> s : sessions.entrySet()) {
            if (s.getValue().lastIndex < oldest) {
                oldest = s.getValue().lastIndex;
                victim = s.getKey();
            }
        }
        sessions.remove(victim);
    }

    private KvCommand.Result execute(KvCommand c) {
        String current = data.get(c.key());
        return switch (c.op()) {
            case PUT, WRITE -> {
                if (c.value() == null) {
                    data.remove(c.key());
                } else {
                    data.put(c.key(), c.value());
                }
                yield new KvCommand.Result(false, true, current);
            }
            case GET -> new KvCommand.Result(false, true, current);
            case CAS -> {
                boolean matches = c.expected() == null ? current == null : c.expected().equals(current);
                if (matches) {
                    data.put(c.key(), c.value());
                }
                yield new KvCommand.Result(false, matches, matches ? c.value() : current);
            }
        };
    }

    @Override
    public void writeSnapshot(OutputStream out) {
        BinaryWriter w = new BinaryWriter(256);
        w.writeVarLong(appliedIndex).writeVarLong(data.size());
        for (Map.Entry<String, String> kv : data.entrySet()) {
            w.writeString(kv.getKey()).writeString(kv.getValue());
        }
        w.writeVarLong(sessions.size());
        for (Map.Entry<Long, Session> s : sessions.entrySet()) {
            w.writeVarLong(s.getKey()).writeVarLong(s.getValue().lastSequence).writeVarLong(s.getValue().lastIndex)
                    .writeBytes(s.getValue().lastResult);
        }
        try {
            out.write(w.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void restore(SnapshotMeta meta, InputStream in) {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BinaryReader r = new BinaryReader(bytes);
        long index = r.readVarLong();
        if (index != meta.index()) {
            throw new IllegalStateException("snapshot " + meta + " holds state at index " + index);
        }
        data.clear();
        sessions.clear();
        long n = r.readVarLong();
        for (long i = 0; i < n; i++) {
            data.put(r.readString(), r.readString());
        }
        long m = r.readVarLong();
        for (long i = 0; i < m; i++) {
            sessions.put(r.readVarLong(), new Session(r.readVarLong(), r.readVarLong(), r.readBytes()));
        }
        r.expectEnd();
        appliedIndex = index;
    }
}
