package io.raftstore.node.storage;

import io.raftstore.core.EntryType;
import io.raftstore.core.HardState;
import io.raftstore.core.LogEntry;
import io.raftstore.core.Membership;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.storage.HardStateStore;
import io.raftstore.core.storage.LogStore;
import io.raftstore.core.storage.RaftStorage;
import io.raftstore.core.storage.StorageException;
import io.raftstore.kv.KvStateMachine;
import io.raftstore.kv.StateDatabase;
import io.raftstore.storage.Disk;
import io.raftstore.storage.LogStorage;
import io.raftstore.storage.LogStoreKind;
import io.raftstore.storage.h2.H2Backup;
import io.raftstore.storage.h2.H2Database;
import io.raftstore.storage.h2.H2SnapshotStore;
import io.raftstore.storage.h2.H2StorageConfig;
import io.raftstore.storage.h2.LogStores;
import io.raftstore.storage.wal.WalStorage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Everything one node keeps on disk, opened from its data directory: the Raft log and hard state (in the
 * store of {@link LogStoreKind}: a write-ahead log in {@value WalStorage#DIRECTORY}/ by default, or maps of the
 * H2 database), the snapshot metadata in the H2 database ({@value H2Database#FILE_NAME}), the key-value state
 * in an H2 database of its own in {@value #STATE_DIRECTORY}/, and the snapshot files in {@code snapshots/}.
 *
 * <h2>Two log stores</h2>
 * Every H2 commit rewrites each B-tree page it touches plus H2's own chunk metadata; under load, committing
 * the log once per Ready that way was most of the event loop's time (JFR). The write-ahead log appends one
 * checksummed frame per Ready instead, and is the default; the H2 store keeps everything in one transactional
 * database file (docs/storage.md compares them). A data directory keeps the store it was created with
 * ({@link LogStores}). The key-value state's random keys touch pages all over its tree, so it is committed
 * only every {@link H2StorageConfig#checkpointMillis()}: it is derived data, which the snapshot and the
 * durable log rebuild after a crash (even when its database is lost altogether).
 *
 * <h2>Start-up checks</h2>
 * Opening verifies each store and then their agreement: the log must not start after the latest
 * snapshot (a gap), must not have been compacted without a snapshot, must hold the snapshot's term at the
 * snapshot's index when that index is committed, and must still reach the commit and applied indexes.
 * Any violation refuses to open with a {@link StorageException} naming the file and what to do. A data
 * directory without a database is a fresh node, unless snapshot files show it once held data. The key-value
 * state's database is the exception: derived data, it is moved aside and rebuilt when damaged
 * ({@link StateDatabase}).
 *
 * <h2>Files and time</h2>
 * Every file of the node is reached through one {@link Disk} ({@link Disk#REAL} in production; a simulated
 * disk in tests, where H2 opens its databases through {@link Disk#h2FileName}), and the storage reads the time
 * only from the clock it is opened with (checkpoints, watermark writes). H2 itself still reads the wall clock
 * to stamp its chunks and to decide when a dead chunk's space may be reused
 * ({@link H2StorageConfig#retentionMillis()}); that is the one source of time a simulation does not control.
 *
 * <h2>Transactions</h2>
 * {@link #atomically} makes the log and hard state writes of one Ready one atomic write of the log store
 * with one fsync, or defers them to the next forced one when nothing in them must survive a crash.
 * A snapshot's record is its own H2 commit, made durable before the log is compacted or reset.
 */
public final class NodeStorage implements AutoCloseable {
    /**
     * Every commit of the node's database confirmed by its watermark, and rolled back at open when not: H2 takes a
     * commit torn by a crash as whole (H2Database, "A torn last commit"). With the {@code h2} log store that is
     * every durable write (two more fsyncs each); with the write-ahead log, the snapshot records only.
     */
    private static final H2Database.Confirmation CONFIRM = H2Database.Confirmation.EVERY_COMMIT;

    /** Subdirectory holding the key-value state's own database. */
    public static final String STATE_DIRECTORY = StateDatabase.DIRECTORY;

    private final Disk disk;
    private final Path dataDir;
    private final H2Database db;
    private final H2Database stateDb;
    private final LogStorage logStorage;
    private final LogStore log;
    private final HardStateStore hardState;
    private final H2SnapshotStore snapshots;
    private final KvStateMachine stateMachine;

    private NodeStorage(Disk disk, Path dataDir, H2Database db, LogStorage logStorage, StateDatabase.Opened state) {
        this.disk = disk;
        this.dataDir = dataDir;
        this.db = db;
        this.stateDb = state.db();
        this.logStorage = logStorage;
        this.log = logStorage.log();
        this.hardState = logStorage.hardState();
        this.snapshots = new H2SnapshotStore(disk, db, dataDir);
        this.stateMachine = state.stateMachine();
    }

    /**
     * Opens (or initialises, for an empty directory) the storage of one node, on the real disk and clock.
     *
     * @throws StorageException when the data is damaged or inconsistent, or the directory is in use
     */
    public static NodeStorage open(Path dataDir, H2StorageConfig config) {
        return open(Disk.REAL, System::nanoTime, dataDir, config);
    }

    /**
     * As {@link #open(Path, H2StorageConfig)}, with every file on {@code disk} (the log's, the databases', the
     * snapshots') and {@code nanoTime} as the only clock of the storage (checkpoints, watermark writes): a
     * simulation passes a simulated disk and its virtual time, and a seeded run repeats exactly.
     *
     * @throws StorageException when the data is damaged or inconsistent, or the directory is in use
     */
    public static NodeStorage open(Disk disk, LongSupplier nanoTime, Path dataDir, H2StorageConfig config) {
        Path dir = dataDir.toAbsolutePath();
        boolean fresh = !disk.exists(dir.resolve(H2Database.FILE_NAME));
        if (fresh && hasSnapshotFiles(disk, dir.resolve(H2SnapshotStore.DIRECTORY))) {
            // throws: the database is missing but snapshots exist
            H2Database.open(disk, nanoTime, dir, config, false, H2Database.RESTORE_OR_WIPE, CONFIRM);
        }
        H2Database db = H2Database.open(disk, nanoTime, dir, config, true, H2Database.RESTORE_OR_WIPE, CONFIRM);
        StateDatabase.Opened state = null;
        LogStorage logStorage = null;
        try {
            logStorage = LogStores.open(disk, dir, db, config);
            // Missing (a first start, or a data directory from before the state had its own database) or
            // damaged (moved aside), it is rebuilt by recover() from the latest snapshot and the log.
            state = StateDatabase.open(disk, nanoTime, dir, config);
            NodeStorage storage = new NodeStorage(disk, dir, db, logStorage, state);
            storage.checkConsistency();
            return storage;
        } catch (RuntimeException e) {
            if (state != null) {
                state.db().close();
            }
            if (logStorage != null) {
                logStorage.close();
            }
            db.close();
            throw e;
        }
    }

    private static boolean hasSnapshotFiles(Disk disk, Path dir) {
        try {
            return disk.isDirectory(dir) && !disk.list(dir, "*.snap").isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void checkConsistency() {
        Optional<SnapshotMeta> snapshot = snapshots.latest();
        long snapIndex = snapshot.map(SnapshotMeta::index).orElse(0L);
        long compactionPoint = log.firstIndex() - 1;
        long last = log.lastIndex();
        HardState hs = hardState.load();
        if (compactionPoint > snapIndex) {
            throw db.damaged("the log was compacted up to " + compactionPoint + " but the latest snapshot "
                    + (snapshot.isPresent() ? "ends at " + snapIndex : "is missing") + ": entries in between are lost");
        }
        if (snapshot.isPresent() && snapIndex <= hs.commitIndex() && snapIndex >= compactionPoint && snapIndex <= last
                && log.term(snapIndex) != snapshot.get().term()) {
            throw db.damaged("the log holds term " + log.term(snapIndex) + " at index " + snapIndex
                    + " but the snapshot there has term " + snapshot.get().term());
        }
        long reach = Math.max(last, snapIndex);
        if (hs.commitIndex() > reach) {
            throw db.damaged("the commit index " + hs.commitIndex() + " lies beyond the log and snapshot, which end at "
                    + reach);
        }
        if (stateMachine.appliedIndex() > reach) {
            throw db.damaged("the key-value state was applied up to " + stateMachine.appliedIndex()
                    + " but the log and snapshot end at " + reach);
        }
    }

    /**
     * Brings the state machine up to the persisted commit index: installs the latest snapshot when the
     * state is older than it, then re-applies committed log entries beyond the applied index.
     *
     * @return the number of log entries re-applied
     */
    public long recover() {
        Optional<SnapshotMeta> snapshot = snapshots.latest();
        if (snapshot.isPresent() && stateMachine.appliedIndex() < snapshot.get().index()) {
            try (InputStream in = snapshots.open(snapshot.get())) {
                stateMachine.restore(snapshot.get(), in);
            } catch (IOException e) {
                throw new StorageException("cannot read snapshot while recovering: " + e, e);
            }
        }
        long target = Math.min(hardState.load().commitIndex(), log.lastIndex());
        long reapplied = 0;
        while (stateMachine.appliedIndex() < target) {
            List<LogEntry> batch = log.entries(stateMachine.appliedIndex() + 1, target, 4L << 20);
            stateMachine.apply(batch);
            reapplied += batch.size();
        }
        return reapplied;
    }

    /**
     * The membership in force after the whole log: the last MEMBERSHIP entry in the log (it takes effect
     * when appended), else the latest snapshot's, else {@link Membership#EMPTY}. Scans the log backwards,
     * so call it once at start-up.
     */
    public Membership recoveredMembership() {
        for (long i = log.lastIndex(); i >= log.firstIndex(); i -= 256) {
            List<LogEntry> chunk = log.entries(Math.max(log.firstIndex(), i - 255), i, Long.MAX_VALUE);
            for (int j = chunk.size() - 1; j >= 0; j--) {
                if (chunk.get(j).type() == EntryType.MEMBERSHIP) {
                    return Membership.fromBytes(chunk.get(j).data());
                }
            }
        }
        return snapshots.latest().map(SnapshotMeta::membership).orElse(Membership.EMPTY);
    }

    /** Runs writes of the log and hard state as one durable, atomic write of the log store (one fsync). */
    public void atomically(Runnable writes) {
        logStorage.write(writes, true);
    }

    /**
     * Runs writes of the log and hard state as one atomic write of the log store, durable on return when
     * {@code force}, else with the next forced write (see {@link LogStorage#write}).
     */
    public void atomically(Runnable writes, boolean force) {
        logStorage.write(writes, force);
    }

    /** Whether the log store can {@link #sync} beside its writer ({@link LogStorage#syncsBesideWrites}). */
    public boolean syncsBesideWrites() {
        return logStorage.syncsBesideWrites();
    }

    /** Makes every log and hard state write made so far durable, from any thread, while writes go on. */
    public void sync() {
        logStorage.sync();
    }

    /**
     * Writes a consistent copy of this node's database, Raft log and latest snapshot into the new
     * directory {@code target} while the node keeps running, on the disk its files are on; see {@link H2Backup}.
     */
    public void backup(Path target) {
        H2Backup.backup(disk, db, logStorage, snapshots, target);
    }

    public RaftStorage raftStorage() {
        return new RaftStorage(log, hardState, snapshots);
    }

    public LogStore log() {
        return log;
    }

    public HardStateStore hardState() {
        return hardState;
    }

    public H2SnapshotStore snapshots() {
        return snapshots;
    }

    public KvStateMachine stateMachine() {
        return stateMachine;
    }

    public H2Database database() {
        return db;
    }

    /** The store holding the Raft log and hard state. */
    public LogStorage logStorage() {
        return logStorage;
    }

    /** The key-value state's own database. */
    public H2Database stateDatabase() {
        return stateDb;
    }

    public Path dataDir() {
        return dataDir;
    }


    @Override
    public void close() {
        try {
            stateDb.close();
        } finally {
            try {
                logStorage.close();
            } finally {
                db.close();
            }
        }
    }
}
