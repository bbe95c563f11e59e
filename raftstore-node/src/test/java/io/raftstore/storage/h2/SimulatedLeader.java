package io.raftstore.storage.h2;

import io.raftstore.core.EntryType;
import io.raftstore.core.LogEntry;
import io.raftstore.core.Membership;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.kv.KvCodec;
import io.raftstore.kv.KvCommand;
import io.raftstore.kv.KvStateMachine;
import io.raftstore.node.storage.NodeStorage;
import io.raftstore.storage.sim.SimDisk;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The rest of the cluster, as a crash test of one follower's storage sees it: the committed log (one history,
 * so an entry the follower holds or applies must be the one here at its index), a leader's key-value state to
 * send snapshots from (an {@link NodeStorage} on a simulated disk of its own, never crashed), and what applying
 * the first n entries must give ({@link #stateAt}).
 *
 * <p>Entries are key-value commands: writes of small and multi-page values and deletes over a few keys, and
 * counter increments through client sessions, some of them retries that must not apply twice.
 */
final class SimulatedLeader implements AutoCloseable {
    static final Membership MEMBERS = Membership.ofVoters("n1", "n2", "n3");
    private static final int KEYS = 30;
    private static final int CLIENTS = 3;

    private final Random random;
    private final List<LogEntry> log = new ArrayList<>();
    private final NodeStorage storage;
    /** Per client (1..CLIENTS): the last request it sent, which a retry repeats. */
    private final Map<Long, LogEntry> lastRequest = new HashMap<>();
    private long term = 1;

    SimulatedLeader(Random random, LongSupplier nanoTime, H2StorageConfig config) {
        this.random = random;
        this.storage = NodeStorage.open(new SimDisk(random.nextLong()), nanoTime, Path.of("/sim/leader"), config);
    }

    long term() {
        return term;
    }

    long lastIndex() {
        return log.size();
    }

    /** Entries {@code from..to} (inclusive) of the committed log. */
    List<LogEntry> entries(long from, long to) {
        return List.copyOf(log.subList((int) from - 1, (int) to));
    }

    /** Commits {@code n} more entries, now and then in a new term. */
    void grow(long n) {
        if (random.nextInt(6) == 0) {
            term++;
        }
        for (long i = 0; i < n; i++) {
            log.add(nextEntry(lastIndex() + 1));
        }
    }

    private LogEntry nextEntry(long index) {
        int what = random.nextInt(10);
        if (what < 5) {
            boolean large = random.nextInt(12) == 0; // spans several pages of H2 and of the simulated disk
            byte[] value = new byte[large ? 2_000 + random.nextInt(4_000) : random.nextInt(100)];
            random.nextBytes(value);
            return command(index, 0, 0, new KvCommand.Put("k" + random.nextInt(KEYS), value));
        }
        if (what < 7) {
            return command(index, 0, 0, KvCommand.Delete.of("k" + random.nextInt(KEYS)));
        }
        long client = 1 + random.nextInt(CLIENTS);
        LogEntry last = lastRequest.get(client);
        if (last != null && random.nextInt(4) == 0) { // it did not hear back and sends the request again
            return new LogEntry(term, index, EntryType.COMMAND, client, last.sequence(), last.data());
        }
        long sequence = last == null ? 1 : last.sequence() + 1;
        LogEntry e = command(index, client, sequence, new KvCommand.Increment("c" + client, 1 + random.nextInt(5)));
        lastRequest.put(client, e);
        return e;
    }

    private LogEntry command(long index, long client, long sequence, KvCommand command) {
        return new LogEntry(term, index, EntryType.COMMAND, client, sequence, KvCodec.encode(command));
    }

    /** A snapshot of the leader's state after the whole log: what it streams to a follower, and its meta. */
    record Snapshot(SnapshotMeta meta, byte[] bytes) {
    }

    Snapshot snapshot() {
        KvStateMachine sm = storage.stateMachine();
        if (sm.appliedIndex() < lastIndex()) {
            sm.apply(entries(sm.appliedIndex() + 1, lastIndex()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (KvStateMachine.Capture capture = sm.capture()) {
            capture.writeTo(out);
            return new Snapshot(new SnapshotMeta(capture.index(), capture.term(), MEMBERS), out.toByteArray());
        }
    }

    /** What the key-value state holds after applying entries {@code 1..index}: each key's value. */
    Map<String, byte[]> stateAt(long index) {
        Map<String, byte[]> state = new TreeMap<>();
        Map<Long, Long> sessions = new HashMap<>();
        for (LogEntry e : log.subList(0, (int) index)) {
            if (e.clientId() != 0) {
                Long last = sessions.get(e.clientId());
                if (last != null && e.sequence() <= last) {
                    continue; // a retry is answered from the session, not applied again
                }
                sessions.put(e.clientId(), e.sequence());
            }
            KvCommand command = KvCodec.decodeCommand(e.data());
            if (command instanceof KvCommand.Put p) {
                state.put(p.key(), p.value());
            } else if (command instanceof KvCommand.Delete d) {
                state.remove(d.key());
            } else if (command instanceof KvCommand.Increment inc) {
                byte[] now = state.get(inc.key());
                long value = (now == null ? 0 : Long.parseLong(new String(now, StandardCharsets.US_ASCII))) + inc.delta();
                state.put(inc.key(), Long.toString(value).getBytes(StandardCharsets.US_ASCII));
            } else {
                throw new IllegalStateException("the leader proposes no " + command);
            }
        }
        return state;
    }

    @Override
    public void close() {
        storage.close();
    }
}
