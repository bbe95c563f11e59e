package io.raftstore.node;

import io.raftstore.core.EntryType;
import io.raftstore.core.LogEntry;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.StateMachine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A test state machine: commands are {@code key=value}; the result is {@code applied@index}. It keeps
 * nothing on disk, so after a restart it is rebuilt from the log (or the snapshot and the log). A snapshot
 * is the values as {@code key=value} lines.
 */
final class RegisterMachine implements StateMachine {

    final ConcurrentHashMap<String, String> values = new ConcurrentHashMap<>();
    private volatile long applied;
    /** Runs on the applying thread before each command is applied (a test holds an apply up with it). */
    volatile Consumer<String> beforeApply = command -> { };

    static byte[] command(String key, String value) {
        return (key + "=" + value).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public long appliedIndex() {
        return applied;
    }

    @Override
    public List<byte[]> apply(List<LogEntry> entries) {
        List<byte[]> results = new ArrayList<>(entries.size());
        for (LogEntry e : entries) {
            if (e.index() != applied + 1) {
                throw new IllegalStateException("gap: applied " + applied + ", got " + e.index());
            }
            if (e.type() == EntryType.COMMAND) {
                beforeApply.accept(new String(e.data(), StandardCharsets.UTF_8));
                String[] kv = new String(e.data(), StandardCharsets.UTF_8).split("=", 2);
                values.put(kv[0], kv[1]);
                results.add(("applied@" + e.index()).getBytes(StandardCharsets.UTF_8));
            } else {
                results.add(new byte[0]);
            }
            applied = e.index();
        }
        return results;
    }

    @Override
    public void writeSnapshot(OutputStream out) {
        StringBuilder lines = new StringBuilder();
        new TreeMap<>(values).forEach((k, v) -> lines.append(k).append('=').append(v).append('\n'));
        try {
            out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void restore(SnapshotMeta meta, InputStream in) {
        values.clear();
        try {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty()) {
                    String[] kv = line.split("=", 2);
                    values.put(kv[0], kv[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        applied = meta.index();
    }
}
