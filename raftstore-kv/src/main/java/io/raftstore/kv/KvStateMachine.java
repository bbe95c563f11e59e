package io.raftstore.kv;

import io.raftstore.core.EntryType;
import io.raftstore.core.LogEntry;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.StateMachine;
import io.raftstore.core.codec.CodecException;
import io.raftstore.core.storage.StorageException;
import io.raftstore.storage.h2.H2Database;
import io.raftstore.storage.h2.PinnedRoots;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The replicated key-value store, persisted in the node's H2 database.
 *
 * <h2>Exactly once</h2>
 * {@link #apply} writes the effects of a run of entries, their client sessions and the new applied index
 * atomically ({@link H2Database#writeDeferred}), and commits them durably at most every
 * {@code checkpointMillis}: the durable log replays whatever a crash takes back, so a checkpoint only bounds
 * that work; until then keys and the applied index wait in memory ({@link KvTables}, "Write-back") and
 * join the checkpoint's commit together. This database holds nothing but the state (see
 * {@link io.raftstore.node.storage.NodeStorage}). After a crash the applied index matches the data exactly:
 * a restart neither loses nor repeats an application. Write commands with a client id are
 * deduplicated per (clientId, sequence) through {@link SessionTable}; reads ({@link KvCommand.Get},
 * {@link KvCommand.Scan}, {@link KvCommand.ListPrepared}) have no effect, so they are not recorded in sessions.
 *
 * <h2>Two-phase transactions</h2>
 * A prepared transaction and the keys it holds are part of the replicated state (see
 * {@link PreparedCommands}): in this database, so they survive a restart, and in snapshots.
 *
 * <h2>Determinism</h2>
 * Results depend only on the state, the entry and its index, not on this node's configuration: size
 * limits are checked by the node that proposes (see {@link KvLimits}). Malformed or undecodable commands
 * are rejected with a {@link KvResult.Rejected} result on every node alike rather than thrown.
 *
 * <h2>Snapshots</h2>
 * {@link #capture()} pins a consistent view of the tables; writing it streams record by record while
 * {@link #apply} continues on the event loop. {@link #restore} loads into staging tables, committing every
 * few thousand records to bound memory, then swaps them in within one durable transaction.
 */
public final class KvStateMachine implements StateMachine {
    private static final byte[] NO_RESULT = new byte[0];

    private final H2Database db;
    private final int maxSessions;
    private final int restoreCommitRecords;
    private final CommandExecutor executor;
    /** A checkpoint also comes after this many uncommitted entries, so recovery after a crash stays bounded. */
    private static final int CHECKPOINT_ENTRIES = 200_000;
    /** ... or once this many bytes of writes are buffered (see {@link KvTables}). */
    private static final long CHECKPOINT_BYTES = 64L << 20;
    private final long checkpointNanos;
    private final LongSupplier nanoTime;
    private long lastCheckpoint;
    private long uncheckpointed;
    private volatile KvTables tables;

    /**
     * @param maxSessions          most client sessions kept (LRU eviction by log index beyond)
     * @param restoreCommitRecords records staged between intermediate commits during {@link #restore}
     * @param checkpointMillis     applies are committed (durably) at most this often; see the class comment
     */
    public KvStateMachine(H2Database db, int maxSessions, int restoreCommitRecords, int checkpointMillis) {
        this(db, maxSessions, restoreCommitRecords, checkpointMillis, System::nanoTime);
    }

    /**
     * As {@link #KvStateMachine(H2Database, int, int, int)}, timing checkpoints by {@code nanoTime} (a
     * simulation's virtual time, so that its runs checkpoint at the same entries every time).
     */
    public KvStateMachine(H2Database db, int maxSessions, int restoreCommitRecords, int checkpointMillis,
                          LongSupplier nanoTime) {
        this.db = db;
        this.nanoTime = nanoTime;
        this.lastCheckpoint = nanoTime.getAsLong();
        this.checkpointNanos = TimeUnit.MILLISECONDS.toNanos(checkpointMillis);
        this.maxSessions = maxSessions;
        this.restoreCommitRecords = restoreCommitRecords;
        this.executor = new CommandExecutor();
        this.tables = db.write(() -> {
            KvTables.dropStaging(db); // an interrupted restore never became visible; discard what it staged
            return KvTables.live(db);
        });
        tables.applied(); // verify the record on open
        db.buffer(new H2Database.Buffered() {
            @Override
            public void flush() {
                tables.flushPending();
            }

            @Override
            public void discard() {
                tables.discardPending();
            }
        });
    }

    /** The live tables, for tests of their buffering. */
    KvTables tables() {
        return tables;
    }

    @Override
    public long appliedIndex() {
        return tables.applied()[0];
    }

    /** Term of the entry at {@link #appliedIndex()} (0 when nothing was applied). */
    public long appliedTerm() {
        return tables.applied()[1];
    }

    @Override
    public List<byte[]> apply(List<LogEntry> entries) {
        if (entries.isEmpty()) {
            return List.of();
        }
        // Checked before writing: a failing write would also roll back earlier applies still riding along.
        long expected = tables.applied()[0] + 1;
        for (LogEntry e : entries) {
            if (e.index() != expected++) {
                throw new IllegalStateException("entries must continue at " + (tables.applied()[0] + 1)
                        + " consecutively, but entry " + e.index() + " came " + (e == entries.get(0) ? "first" : "next"));
            }
        }
        List<byte[]> out = db.writeDeferred(() -> {
            KvTables t = tables;
            SessionTable sessions = new SessionTable(t, maxSessions);
            List<byte[]> results = new ArrayList<>(entries.size());
            for (LogEntry e : entries) {
                results.add(e.type() == EntryType.COMMAND ? applyCommand(t, sessions, e) : NO_RESULT);
            }
            LogEntry last = entries.get(entries.size() - 1);
            t.setApplied(last.index(), last.term());
            return results;
        });
        uncheckpointed += entries.size();
        maybeCheckpoint();
        return out;
    }

    /**
     * Commits the applies gathered since the last checkpoint, durably, once {@code checkpointMillis} passed
     * or {@value #CHECKPOINT_ENTRIES} entries were applied or {@value #CHECKPOINT_BYTES} bytes of writes buffered.
     * Committing each apply would rewrite every B-tree page a random key touches, many times a second.
     */
    private void maybeCheckpoint() {
        long now = nanoTime.getAsLong();
        if (now - lastCheckpoint >= checkpointNanos || uncheckpointed >= CHECKPOINT_ENTRIES
                || tables.pendingBytes() >= CHECKPOINT_BYTES) {
            db.write(() -> { });
            lastCheckpoint = now;
            uncheckpointed = 0;
        }
    }

    private byte[] applyCommand(KvTables t, SessionTable sessions, LogEntry e) {
        KvCommand command;
        try {
            command = KvCodec.decodeCommand(e.data());
        } catch (CodecException | IllegalArgumentException | NullPointerException ex) {
            return KvCodec.encode(new KvResult.Rejected(KvResult.Reason.MALFORMED, "entry " + e.index()
                    + " is not a key-value command: " + ex.getMessage()));
        }
        if (e.clientId() == 0 || CommandExecutor.isRead(command)) {
            return KvCodec.encode(executor.execute(t, command, e.index()));
        }
        SessionTable.Session session = sessions.find(e.clientId());
        if (session != null && e.sequence() == session.sequence()) {
            return session.result(); // a retry of the last request: answer it again, do not apply it again
        }
        if (session != null && e.sequence() < session.sequence()) {
            return KvCodec.encode(new KvResult.SessionExpired(e.clientId(), e.sequence()));
        }
        KvResult r = executor.execute(t, command, e.index());
        byte[] result = KvCodec.encode(r);
        // A held key changed nothing and says "retry": the same request must be able to apply once it is free.
        if (!(r instanceof KvResult.KeyHeld)) {
            sessions.record(new SessionTable.Session(e.clientId(), e.sequence(), e.index(), result));
        }
        return result;
    }

    /**
     * Answers a {@link KvCommand.Get} or {@link KvCommand.Scan} from the local state (as of the last applied
     * entry, never halfway through one). Linearizable only when the caller first waited for a read index.
     *
     * @throws IllegalArgumentException for a write command
     */
    public KvResult read(KvCommand query) {
        if (!CommandExecutor.isRead(query)) {
            throw new IllegalArgumentException("not a read: " + query);
        }
        return db.read(() -> executor.execute(tables, query, 0));
    }

    /** A consistent view of the state to stream as a snapshot; close it when done. */
    public Capture capture() {
        // Under the lock, so a concurrent restore cannot swap the tables between choosing and pinning them.
        return db.read(() -> {
            KvTables t = tables;
            t.flushPending(); // into the maps (not committed), so the pinned view holds every applied write
            PinnedRoots view = db.pinnedRoots(t.data, t.sessions, t.meta, t.prepared);
            byte[] applied = view.get(t.meta, KvTables.appliedKey());
            return new Capture(t, view, t.decodeApplied(applied));
        });
    }

    /** The state at one applied index, captured by {@link #capture()}. */
    public static final class Capture implements AutoCloseable {
        private final KvTables tables;
        private final PinnedRoots view;
        private final long[] applied;

        private Capture(KvTables tables, PinnedRoots view, long[] applied) {
            this.tables = tables;
            this.view = view;
            this.applied = applied;
        }

        /** The index the captured state includes: use it for the snapshot's {@link SnapshotMeta}. */
        public long index() {
            return applied[0];
        }

        public long term() {
            return applied[1];
        }

        /** Streams the captured state record by record. */
        public void writeTo(OutputStream out) {
            KvSnapshotFormat.write(tables, view, applied, out);
        }

        @Override
        public void close() {
            view.close();
        }
    }

    @Override
    public void writeSnapshot(OutputStream out) {
        try (Capture c = capture()) {
            c.writeTo(out);
        }
    }

    @Override
    public void restore(SnapshotMeta meta, InputStream in) {
        tables = db.write(() -> {
            // The staging commits below also commit the live maps: make them consistent (sessions are
            // written through, keys and the applied index buffered) before the first one.
            tables.flushPending();
            KvTables staging = KvTables.freshStaging(db);
            SessionTable stagedSessions = new SessionTable(staging, Integer.MAX_VALUE);
            PreparedTransactions stagedPrepared = new PreparedTransactions(staging);
            long[] applied;
            try {
                applied = KvSnapshotFormat.read(in, new KvSnapshotFormat.Loader() {
                    @Override
                    public void entry(String key, KvTables.Entry entry) {
                        staging.put(key, entry);
                    }

                    @Override
                    public void session(SessionTable.Session session) {
                        stagedSessions.put(session);
                    }

                    @Override
                    public void prepared(PreparedTransaction transaction) {
                        stagedPrepared.put(transaction);
                    }

                    @Override
                    public void checkpoint() {
                        db.commitStaged();
                    }
                }, restoreCommitRecords);
            } catch (CodecException | UncheckedIOException e) {
                throw new StorageException("cannot install snapshot " + meta + ": " + e.getMessage(), e);
            }
            if (applied[0] != meta.index()) {
                throw new StorageException("snapshot stream holds index " + applied[0] + ", its metadata says "
                        + meta.index());
            }
            staging.setApplied(meta.index(), meta.term());
            return staging.replace(tables);
        });
    }
}
