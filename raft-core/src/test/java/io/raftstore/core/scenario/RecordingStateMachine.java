package io.raftstore.core.scenario;

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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scenario tests' state machine: remembers every applied command as a string, in order, and applies a
 * command with a client session at most once (its result is the number of commands applied so far).
 */
final class RecordingStateMachine implements StateMachine {
    final List<String> applied = new ArrayList<>();
    private final Map<Long, Long> lastSequence = new HashMap<>();
    private long appliedIndex;

    @Override
    public long appliedIndex() {
        return appliedIndex;
    }

    @Override
    public List<byte[]> apply(List<LogEntry> entries) {
        List<byte[]> results = new ArrayList<>();
        for (LogEntry e : entries) {
            if (e.index() != appliedIndex + 1) {
                throw new AssertionError("applied out of order: " + e.index() + " after " + appliedIndex);
            }
            appliedIndex = e.index();
            if (e.type() != EntryType.COMMAND) {
                results.add(new byte[0]);
                continue;
            }
            if (e.clientId() != 0) {
                long last = lastSequence.getOrDefault(e.clientId(), 0L);
                if (e.sequence() <= last) {
                    results.add(new byte[0]);
                    continue;
                }
                lastSequence.put(e.clientId(), e.sequence());
            }
            applied.add(new String(e.data(), StandardCharsets.UTF_8));
            results.add(Integer.toString(applied.size()).getBytes(StandardCharsets.UTF_8));
        }
        return results;
    }

    @Override
    public void writeSnapshot(OutputStream out) {
        BinaryWriter w = new BinaryWriter(256);
        w.writeVarLong(appliedIndex);
        w.writeVarLong(applied.size());
        applied.forEach(w::writeString);
        w.writeVarLong(lastSequence.size());
        lastSequence.forEach((c, s) -> w.writeVarLong(c).writeVarLong(s));
        try {
            out.write(w.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void restore(SnapshotMeta meta, InputStream in) {
        try {
            BinaryReader r = new BinaryReader(in.readAllBytes());
            appliedIndex = r.readVarLong();
            applied.clear();
            long count = r.readVarLong();
            for (long i = 0; i < count; i++) {
                applied.add(r.readString());
            }
            lastSequence.clear();
            long n = r.readVarLong();
            for (long i = 0; i < n; i++) {
                lastSequence.put(r.readVarLong(), r.readVarLong());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
