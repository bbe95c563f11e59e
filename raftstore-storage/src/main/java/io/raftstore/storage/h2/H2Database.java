package io.raftstore.storage.h2;

import io.raftstore.core.storage.StorageException;
import io.raftstore.storage.Disk;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.DataType;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * One node's H2 database file ({@value #FILE_NAME} in the data directory), shared by the log, the hard
 * state, the snapshot metadata and the key-value state machine.
 *
 * <h2>Durability: why the MVStore API and not SQL</h2>
 * H2's SQL {@code COMMIT} does not force data to disk (measured here with strace: one fsync for 500
 * commits, the one at close; the team's notes saw the same with {@code WRITE_DELAY=0}), so a machine crash
 * can take back a commit the node already acknowledged. {@code CHECKPOINT SYNC} after each commit does
 * force it, at about 60% of the rate of what we do instead: H2's own storage engine, the MVStore (same
 * jar), whose {@link MVStore#commit()} writes one chunk holding every change since the previous commit —
 * atomically across all maps — and whose {@link MVStore#sync()} fsyncs the file. strace shows one
 * {@code pwrite} plus one {@code fsync} per {@link #write}. The background writer is disabled, so nothing
 * reaches the file except our commits. H2's chunk retention stays at its default (see
 * {@link H2StorageConfig}), and a {@link VersionWatermark} refuses to start when H2 recovers less than was
 * synced.
 *
 * <h2>A torn last commit</h2>
 * H2 takes a chunk whose header and footer reached the disk as whole, without checking the pages between
 * them: a crash during a commit (or an fsync that failed, having written back only some of the pages) can
 * leave exactly that, and H2 then reads garbage, or silently reads maps without their older, synced content
 * (the storage crash test and the whole-node simulation found both: docs/storage.md, "Torn commits"). With
 * {@link Confirmation#EVERY_COMMIT} the watermark confirms every commit once synced, before the write returns,
 * and a database that opens at a newer version than its watermark is rolled back to the confirmed version,
 * durably, before anything reads it: what was not confirmed was never reported written, and may be torn.
 *
 * <h2>Transactions and group commit</h2>
 * {@link #write} runs a mutation under the database lock, then commits and syncs once. Calls nest: inside
 * an outer {@link #write} (for example the driver persisting hard state, new entries and applied results
 * of one Ready together) the inner ones only mutate and the outermost commit makes everything durable with
 * a single fsync. A failing mutation rolls back every uncommitted change and rethrows. A failing commit or
 * sync closes the database at once, writing nothing more into its file (a rollback would: see
 * {@link #commitAndSync}); the node stops and reopens it.
 *
 * <p>{@link #writeDeferred} does not commit at all: its changes are visible at once and ride along with the
 * next durable commit (or the one at close). It serves writes whose loss in a crash costs nothing but work:
 * applied entries, which the durable log replays, and a moved commit index, which Raft relearns. Applying
 * thus adds no commit of its own — each commit rewrites every page it touches plus H2's chunk metadata,
 * and that was the node's largest cost under load — and every commit that does reach the file is synced
 * (save {@link #commitStaged}, whose staged changes the live state never sees before a synced commit), so
 * a crash can tear only the last one (see "A torn last commit"). Only the outermost call decides: nested writes of
 * either kind just join its transaction. A failing write rolls back deferred changes too; the caller (the
 * node's event loop) then stops and recovers from the log.
 *
 * <h2>Thread safety</h2>
 * Writes are serialised by one lock. Reads of {@link MVMap}s are safe from any thread; readers that need a
 * consistent multi-map view use {@link #pinnedRoots}.
 */
public final class H2Database implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(H2Database.class.getName());

    public static final String FILE_NAME = "raftstore.mv.db";

    private final Path file;
    private final MVStore store;
    private final ReentrantLock lock = new ReentrantLock();
    private final VersionWatermark watermark;
    private final String repair;
    private Buffered buffered = Buffered.NONE;
    /** A commit may have reached the file without a sync since the last completed one (see {@link #rollbackQuietly}). */
    private boolean unsyncedCommit;
    /** True while {@link #quiesced} runs its action (under the lock). */
    private boolean quiescing;

    /**
     * Changes a store keeps in memory instead of in its maps (the key-value state's write-back): written
     * into the maps before every commit, so a commit never stores part of them, and dropped on rollback.
     */
    public interface Buffered {
        Buffered NONE = new Buffered() {
            @Override
            public void flush() {
            }

            @Override
            public void discard() {
            }
        };

        void flush();

        void discard();
    }

    /** Registers the store whose buffered changes join every commit (one per database). */
    public void buffer(Buffered changes) {
        this.buffered = changes;
    }

    /** What the watermark confirms, and so what an open trusts (see "A torn last commit" above). */
    public enum Confirmation {
        /**
         * A synced version, at most once a second: a lower bound. A database that opens at an older version
         * is damaged; a newer one is trusted.
         */
        LOWER_BOUND,
        /**
         * Every durable commit, once synced and before the write returns (a small file written, synced and
         * renamed, and its directory synced: two more fsyncs a commit). A database that opens at a newer version
         * than its watermark is rolled back to it: the newer commits were never reported written, and the
         * newest may be torn.
         */
        EVERY_COMMIT
    }

    private final Confirmation confirmation;

    private H2Database(Path file, MVStore store, VersionWatermark watermark, String repair, Confirmation confirmation) {
        this.file = file;
        this.store = store;
        this.watermark = watermark;
        this.repair = repair;
        this.confirmation = confirmation;
    }

    /**
     * Opens (or creates, when {@code create} is true and the file does not exist) the database of a data
     * directory.
     *
     * @throws DamagedDatabaseException when the file is damaged (see {@link #damagedByH2} for what H2 throws)
     * @throws StorageException when the file is missing and must not be created, locked by another process,
     *                          or the disk fails
     */
    public static H2Database open(Path dataDir, H2StorageConfig config, boolean create) {
        return open(dataDir, config, create, RESTORE_OR_WIPE);
    }

    /**
     * As {@link #open(Path, H2StorageConfig, boolean)}, with what the messages about damage tell an operator
     * to do ({@code repair}).
     */
    public static H2Database open(Path dataDir, H2StorageConfig config, boolean create, String repair) {
        return open(Disk.REAL, System::nanoTime, dataDir, config, create, repair);
    }

    /**
     * As {@link #open(Path, H2StorageConfig, boolean, String)}, on {@code disk} (H2 opens the file by the name
     * {@link Disk#h2FileName} gives), with {@code nanoTime} as the clock that spaces watermark writes.
     */
    public static H2Database open(Disk disk, LongSupplier nanoTime, Path dataDir, H2StorageConfig config,
                                  boolean create, String repair) {
        return open(disk, nanoTime, dataDir, config, create, repair, Confirmation.LOWER_BOUND);
    }

    /**
     * As {@link #open(Disk, LongSupplier, Path, H2StorageConfig, boolean, String)}, with what the watermark
     * confirms ({@code confirmation}).
     */
    public static H2Database open(Disk disk, LongSupplier nanoTime, Path dataDir, H2StorageConfig config,
                                  boolean create, String repair, Confirmation confirmation) {
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        boolean exists = disk.exists(file);
        if (!exists && !create) {
            throw new StorageException("database file " + file + " is missing while the data directory holds other "
                    + "node data; restore it from a backup, " + REJOIN);
        }
        VersionWatermark watermark = new VersionWatermark(disk, nanoTime, dataDir);
        try {
            if (exists && disk.size(file) == 0 && watermark.exists() && watermark.read() == 0) {
                // A crash while the node was first created: nothing was ever committed, so start afresh.
                disk.delete(file);
                exists = false;
            }
            if (exists && disk.size(file) == 0) {
                throw damaged(file, "it is empty", null, repair);
            }
            if (exists && !watermark.exists()) {
                throw damaged(file, "its watermark file " + watermark.file() + " is missing", null, repair);
            }
            disk.createDirectoriesDurably(dataDir);
            if (!exists) {
                watermark.write(0); // before the database exists, so a database never lacks its watermark
                disk.syncDirectory(dataDir); // ... even after a crash
                createEmpty(disk, file, config);
            }
            long durable = watermark.read();
            MVStore store = openStore(disk, file, config);
            long found = store.getCurrentVersion();
            if (confirmation == Confirmation.EVERY_COMMIT && found > durable && exists) { // a new file is whole
                store.closeImmediately();
                store = reopenAtConfirmed(disk, file, config, found, durable, repair);
                found = store.getCurrentVersion();
            }
            if (found < durable) {
                store.closeImmediately();
                throw damaged(file, "H2 could only read it up to version " + found + " but version " + durable
                        + " was committed; its newest data is lost", null, repair);
            }
            watermark.write(found);
            return new H2Database(file, store, watermark, repair, confirmation);
        } catch (StorageException e) {
            throw e;
        } catch (MVStoreException e) {
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                throw new StorageException("database file " + file + " is locked: another process runs this "
                        + "node; stop it first", e);
            }
            if (!damagedByH2(e)) {
                throw new StorageException("cannot open database file " + file + ": " + e.getMessage()
                        + "; check the disk and the file's permissions", e);
            }
            throw damaged(file, e.getMessage(), e, repair);
        } catch (RuntimeException | AssertionError e) {
            if (damagedByH2(e)) {
                throw damaged(file, "H2 fails reading it: " + e, e, repair);
            }
            throw e;
        } catch (IOException e) {
            throw new StorageException("cannot open database file " + file + ": " + e, e);
        }
    }

    /**
     * Whether {@code e}, thrown by H2 opening or reading a database file, says that the file's content cannot be
     * read, rather than that the disk failed or the store is locked or closed: an {@link MVStoreException} other
     * than those (a read that ran past the end of the file counts: a truncated file), or any other exception or
     * assertion thrown from H2's own code. The latter is how a chunk H2 took as whole but whose pages a crash tore
     * shows (docs/storage.md, "Known limit (H2)"): H2 trusts what it reads and fails somewhere inside.
     */
    public static boolean damagedByH2(Throwable e) {
        if (e instanceof MVStoreException m) {
            return switch (m.getErrorCode()) {
                case DataUtils.ERROR_FILE_LOCKED, DataUtils.ERROR_CLOSED, DataUtils.ERROR_WRITING_FAILED -> false;
                case DataUtils.ERROR_READING_FAILED -> !(m.getCause() instanceof IOException)
                        || m.getCause() instanceof EOFException;
                default -> true;
            };
        }
        StackTraceElement[] where = e.getStackTrace();
        return (e instanceof RuntimeException || e instanceof AssertionError) && where.length > 0
                && where[0].getClassName().startsWith("org.h2.");
    }

    /** Where a roll-back at open is recorded, for whoever looks into the file later. */
    static final String RECOVERY_MAP = "raftstore.recovery";

    /**
     * Opens {@code file}, which H2 opened at {@code found}, at the {@code confirmed} version instead: the chunks of
     * the newer commits, never reported written and perhaps torn, are removed first ({@link UnconfirmedChunks}),
     * and H2's recovery then finds the confirmed version as the newest whole one. The roll-back is recorded in
     * {@value #RECOVERY_MAP} with a synced commit of its own, so it is on disk before anything reads the database
     * and the file says what happened to whoever looks into it. A store that opens at an older version is left to
     * the caller's check (its newest data is lost).
     */
    private static MVStore reopenAtConfirmed(Disk disk, Path file, H2StorageConfig config, long found, long confirmed,
                                             String repair) throws IOException {
        int discarded = UnconfirmedChunks.discard(disk, file, confirmed);
        MVStore store = openStore(disk, file, config);
        long now = store.getCurrentVersion();
        if (now > confirmed) {
            store.closeImmediately();
            throw damaged(file, "its newest commits, up to version " + found + ", were never confirmed on disk, and "
                    + "H2 still opens it at version " + now + " with " + discarded + " of their chunks removed", null,
                    repair);
        }
        if (now < confirmed) {
            return store;
        }
        try {
            store.<String, String>openMap(RECOVERY_MAP).put("rolled back at open",
                    "from version " + found + " to the confirmed " + confirmed);
            store.commit();
            store.sync();
        } catch (RuntimeException e) {
            store.closeImmediately(); // the caller says what failed; the next start discards this commit again
            throw e;
        }
        LOG.warning("Database file " + file + " opened at version " + found + ", newer than the version confirmed on"
                + " disk, " + confirmed + ": a crash came during a commit, which was never reported written and may be"
                + " torn. Removed " + discarded + " unconfirmed chunk(s); the database is at version " + confirmed
                + " again.");
        return store;
    }

    private static MVStore openStore(Disk disk, Path file, H2StorageConfig config) {
        MVStore store = new MVStore.Builder()
                .fileName(disk.h2FileName(file))
                .autoCommitDisabled() // no background writer: only our commit()+sync() touch the file
                // ... and no commit of its own when unsaved changes pass a memory threshold either: H2
                // would then commit in the middle of one of our mutations (half an apply batch)
                .autoCommitBufferSize(0)
                .cacheSize(config.cacheSizeMb())
                .open();
        store.setRetentionTime(config.retentionMillis());
        return store;
    }

    /**
     * Creates an empty database file that no crash can take back or tear: H2 writes it under a temporary name,
     * it is synced, renamed into place and the directory synced. Opened directly, H2 would write a new file's
     * header without an fsync and nothing would ever sync the directory: a power loss could then tear the
     * header (a file H2 cannot read) or lose the file's name with every commit made into it since.
     */
    private static void createEmpty(Disk disk, Path file, H2StorageConfig config) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        disk.delete(tmp); // left by a crash during an earlier attempt
        openStore(disk, tmp, config).close();
        try (FileChannel ch = disk.open(tmp, false)) {
            ch.force(true); // H2's close does not sync
        }
        disk.move(tmp, file);
        disk.syncDirectory(file.getParent());
    }

    /** What an operator does about a damaged database that holds data found nowhere else. */
    public static final String RESTORE_OR_WIPE = "Restore the data directory from a backup (see docs/storage.md), "
            + H2Database.REJOIN;

    /**
     * The safe way back for a node whose data is lost (issue 12, finding 1): a wiped data directory is a new
     * incarnation, which the engine keeps from voting and from counting toward commitment until the leader
     * has given it everything the old one may have acknowledged.
     */
    public static final String REJOIN = "or wipe it and start the node again: it rejoins as a new incarnation "
            + "that neither votes nor counts toward commitment until the leader has caught it up (one node at a "
            + "time, while a majority of the voters keeps its data; see docs/storage.md, \"Repairing one node\")";

    /** The exception for a database file that cannot be trusted, telling the operator what to do ({@code repair}). */
    static DamagedDatabaseException damaged(Path file, String what, Throwable cause, String repair) {
        return new DamagedDatabaseException("database file " + file + " is damaged (" + what + ")", repair, cause);
    }

    /** The exception for damaged content of this database. */
    public DamagedDatabaseException damaged(String what) {
        return damaged(file, what, null, repair);
    }

    public Path file() {
        return file;
    }

    /** Opens (creating if needed) a map of this database. */
    public <K, V> MVMap<K, V> map(String name, DataType<K> keyType, DataType<V> valueType) {
        return store.openMap(name, new MVMap.Builder<K, V>().keyType(keyType).valueType(valueType));
    }

    public boolean hasMap(String name) {
        return store.hasMap(name);
    }

    public void removeMap(MVMap<?, ?> map) {
        store.removeMap(map);
    }

    public void renameMap(MVMap<?, ?> map, String newName) {
        store.renameMap(map, newName);
    }

    /** Runs {@code mutation} as one durable transaction (or as part of the enclosing one). */
    public void write(Runnable mutation) {
        write(() -> {
            mutation.run();
            return null;
        });
    }

    /** Runs {@code mutation} as one durable transaction (or as part of the enclosing one) and returns its result. */
    public <T> T write(Supplier<T> mutation) {
        return write(mutation, Commit.DURABLE);
    }

    /**
     * Runs {@code mutation} under the write lock without committing it: the next commit carries it (see the
     * class comment for when that is right).
     */
    public <T> T writeDeferred(Supplier<T> mutation) {
        return write(mutation, Commit.DEFERRED);
    }

    private enum Commit { DURABLE, DEFERRED }

    private <T> T write(Supplier<T> mutation, Commit commit) {
        lock.lock();
        try {
            boolean outermost = lock.getHoldCount() == 1;
            T result;
            try {
                result = mutation.get();
            } catch (RuntimeException | Error e) {
                if (outermost) {
                    rollbackQuietly(e);
                }
                throw e;
            }
            if (outermost && commit == Commit.DURABLE) {
                commitAndSync();
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    /** True while the calling thread is inside {@link #write}. */
    public boolean inTransaction() {
        return lock.isHeldByCurrentThread();
    }

    /**
     * Commits staged changes without forcing them to disk, to bound the memory of a long operation (a
     * snapshot being installed into staging maps). Only valid inside {@link #write}; the changes must not be
     * visible to the live state until a later durable commit.
     */
    public void commitStaged() {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("commitStaged outside a write");
        }
        if (lock.getHoldCount() == 1) { // inside a caller's transaction it would break that one's atomicity
            unsyncedCommit = true;
            store.commit();
        }
    }

    /** Runs a read under the write lock, so it never sees a transaction half done. */
    public <T> T read(Supplier<T> query) {
        lock.lock();
        try {
            return query.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Commits and syncs; when that fails, closes the store without writing anything more. The file may then
     * hold a chunk whose sync failed, and H2's rollback would write a store header naming that chunk as the
     * state of a clean shutdown: a crash could keep the header and tear the chunk, and H2, trusting a clean
     * header, would then refuse to open the file or read garbage from it. The node stops after a failed write
     * anyway, and reopens the file.
     */
    private void commitAndSync() {
        try {
            buffered.flush();
            unsyncedCommit = true;
            store.commit();
            store.sync();
            unsyncedCommit = false;
        } catch (RuntimeException | Error e) {
            buffered.discard();
            store.closeImmediately();
            if (e instanceof MVStoreException) {
                throw new StorageException("cannot write database file " + file + ": " + e.getMessage(), e);
            }
            throw e;
        }
        watermark.maybeWrite(store.getCurrentVersion(), confirmation == Confirmation.EVERY_COMMIT);
    }

    /**
     * Drops the changes of a failed mutation. H2's rollback writes a store header, unsynced, naming the latest
     * chunk as the clean state to start from; when that chunk is a staged commit not yet synced
     * ({@link #commitStaged}), both are synced, so that no crash leaves the header without the whole chunk.
     * When that fails too, the store is closed as after a failed commit.
     */
    private void rollbackQuietly(Throwable cause) {
        try {
            buffered.discard();
            if (!store.isClosed()) {
                store.rollback();
                if (unsyncedCommit) {
                    store.sync();
                    unsyncedCommit = false;
                }
            }
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            store.closeImmediately();
        }
    }

    /**
     * Runs {@code action} while holding the write lock with every change committed and synced: nothing else
     * writes the file meanwhile (used by online backup).
     */
    void quiesced(Runnable action) {
        lock.lock();
        try {
            if (quiescing) { // nested (an H2-backed log's quiesced inside a backup's): already committed
                action.run();
                return;
            }
            if (lock.getHoldCount() != 1) {
                throw new IllegalStateException("quiesced inside a write");
            }
            commitAndSync();
            quiescing = true;
            try {
                action.run();
            } finally {
                quiescing = false;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The version of the last commit; only meaningful under the lock (used by backup). */
    long committedVersion() {
        return store.getCurrentVersion();
    }

    /**
     * A consistent view of several maps as of the last commit, usable from another thread while writes go
     * on: H2 keeps the chunks the view needs until {@link PinnedRoots#close()}.
     */
    public PinnedRoots pinnedRoots(MVMap<?, ?>... maps) {
        lock.lock();
        try {
            return new PinnedRoots(store, maps);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the file at once without writing anything more into it (no commit, no watermark): for a database
     * found damaged, about to be moved aside.
     */
    public void closeWithoutWriting() {
        lock.lock();
        try {
            if (!store.isClosed()) {
                store.closeImmediately();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!store.isClosed()) {
                buffered.flush();
                store.commit();
                store.sync();
                long version = store.getCurrentVersion();
                store.close();
                watermark.maybeWrite(version, true);
            }
        } finally {
            lock.unlock();
        }
    }
}
