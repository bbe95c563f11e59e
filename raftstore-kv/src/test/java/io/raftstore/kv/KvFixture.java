package io.raftstore.kv;

import io.raftstore.core.EntryType;
import io.raftstore.core.LogEntry;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.storage.LogStore;
import io.raftstore.core.storage.SnapshotSink;
import io.raftstore.storage.Disk;
import io.raftstore.storage.h2.H2Database;
import io.raftstore.storage.h2.H2SnapshotStore;
import io.raftstore.storage.h2.H2StorageConfig;
import io.raftstore.storage.wal.WalStorage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A key-value state machine over real H2 files, fed entries at consecutive indexes, with beside it what a
 * node's storage (raftstore-node's NodeStorage) would give it: a log and a snapshot store in the same data
 * directory.
 */
final class KvFixture implements AutoCloseable {
    final Storage storage;
    final KvStateMachine sm;
    long term = 1;

    /** The parts of a node's storage the state machine meets: its own database, the log, the snapshots. */
    static final class Storage implements AutoCloseable {
        private final WalStorage wal;
        private final H2Database db;
        private final H2SnapshotStore snapshots;
        private final StateDatabase.Opened state;

        Storage(Path dir, H2StorageConfig config) {
            wal = WalStorage.open(dir.resolve(WalStorage.DIRECTORY), config.walSegmentBytes(), false);
            db = H2Database.open(dir, config, true);
            snapshots = new H2SnapshotStore(db, dir);
            state = StateDatabase.open(Disk.REAL, System::nanoTime, dir, config);
        }

        LogStore log() {
            return wal.log();
        }

        H2SnapshotStore snapshots() {
            return snapshots;
        }

        H2Database stateDatabase() {
            return state.db();
        }

        @Override
        public void close() {
            state.db().close();
            wal.close();
            db.close();
        }
    }

    KvFixture(Path dir, H2StorageConfig config) {
        storage = new Storage(dir, config);
        sm = storage.state.stateMachine();
    }

    KvFixture(Path dir) {
        this(dir, H2StorageConfig.DEFAULT);
    }

    long nextIndex() {
        return sm.appliedIndex() + 1;
    }

    KvResult apply(KvCommand command) {
        return session(0, 0, command);
    }

    KvResult session(long clientId, long sequence, KvCommand command) {
        return applyEntry(new LogEntry(term, nextIndex(), EntryType.COMMAND, clientId, sequence, KvCodec.encode(command)));
    }

    KvResult applyRaw(byte[] payload) {
        return applyEntry(new LogEntry(term, nextIndex(), EntryType.COMMAND, 0, 0, payload));
    }

    /** Appends the entry to the log (as the engine would before committing it), then applies it. */
    KvResult applyEntry(LogEntry e) {
        storage.log().append(List.of(e));
        return KvCodec.decodeResult(sm.apply(List.of(e)).get(0));
    }

    /** Appends and applies many session commands as one batch of entries (one transaction each). */
    List<KvResult> applyAll(List<LogEntry> commands) {
        List<LogEntry> entries = new ArrayList<>();
        long index = nextIndex();
        for (LogEntry c : commands) {
            entries.add(c.at(term, index++));
        }
        storage.log().append(entries);
        return sm.apply(entries).stream().map(KvCodec::decodeResult).toList();
    }

    /** Stores a snapshot the way a follower receives one, installs it, and resets the log after it. */
    void installSnapshot(SnapshotMeta meta, byte[] snapshot) {
        try (SnapshotSink sink = storage.snapshots().begin(meta)) {
            sink.stream().write(snapshot);
            sink.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (InputStream in = storage.snapshots().open(meta)) {
            sm.restore(meta, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        storage.log().reset(meta.index(), meta.term());
    }

    KvResult get(String key) {
        return sm.read(new KvCommand.Get(key));
    }

    /** The value of {@code key} as a string, or null when absent. */
    String value(String key) {
        KvResult r = get(key);
        return r instanceof KvResult.Value v ? new String(v.value(), StandardCharsets.UTF_8) : null;
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        storage.close();
    }
}
