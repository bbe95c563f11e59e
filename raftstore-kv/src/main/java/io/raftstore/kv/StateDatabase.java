package io.raftstore.kv;

import io.raftstore.core.storage.StorageException;
import io.raftstore.storage.Disk;
import io.raftstore.storage.h2.DamagedDatabaseException;
import io.raftstore.storage.h2.H2Database;
import io.raftstore.storage.h2.H2StorageConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Opens the key-value state's own database ({@value #DIRECTORY}/ in the data directory) with
 * its state machine, and rebuilds it when it is damaged instead of refusing to start.
 *
 * <h2>Why rebuilding is safe</h2>
 * The state is derived data: {@link NodeStorage#recover()} rebuilds it from the latest snapshot and the log, as
 * at a node's first start. Both are always there for it: the log is compacted only up to the latest snapshot
 * (the compaction follows the snapshot's durable record, and opening refuses a log compacted past it), the
 * snapshot file's length and CRC32C are checked on open and its stream's trailer on restore, and every log
 * entry carries a checksum. The rebuilt state is thus verified as much as any restored one, and
 * {@code checkConsistency} sees it as a new node's (applied index 0) before {@code recover()} fills it.
 *
 * <h2>What damage is, and what is done about it</h2>
 * Damage is a {@link DamagedDatabaseException} from opening the database (an empty file, a watermark missing,
 * damaged or ahead of what H2 reads, newer commits that cannot be rolled back to the confirmed one (see
 * {@link H2Database.Confirmation#EVERY_COMMIT}), an inconsistency H2 reports) or from the state machine's first reads (its applied index record fails its checksum), or
 * anything else H2 throws from its own code meanwhile ({@link H2Database#damagedByH2}): a power loss during a
 * commit (a checkpoint, or an unsynced staging commit of a snapshot install) can leave a chunk H2 takes as whole
 * although its pages are torn, and H2 then fails an assertion, reads garbage, or reads maps without their
 * older content.
 * The damaged directory is then moved aside to {@value #DAMAGED_DIRECTORY}/ — replacing the copy an earlier
 * repair left there, so at most one is kept, for diagnosis; nothing reads it — durably (renamed, the data
 * directory synced), a WARNING says so, and an empty database is created in its place. A disk's I/O error or
 * a lock held by another process is not damage: it still refuses to start, as does a rebuilt database that
 * fails to open too.
 */
public final class StateDatabase {
    /** The state database's directory in a node's data directory. */
    public static final String DIRECTORY = "state";
    /** Where a damaged state database is kept, beside {@value #DIRECTORY}/. */
    public static final String DAMAGED_DIRECTORY = DIRECTORY + ".damaged";

    private static final Logger LOG = Logger.getLogger(StateDatabase.class.getName());

    /** What damage found while the node runs (not while it opens) tells an operator to do. */
    private static final String REPAIR = "It holds derived data only: stop the node and move the directory %s "
            + "aside (or delete it); at its next start the node rebuilds it from the latest snapshot and the log. "
            + "Damage found while the node starts is repaired that way without help (docs/storage.md)";

    /** The opened database and the state machine on it. */
    public record Opened(H2Database db, KvStateMachine stateMachine) {
    }

    private StateDatabase() {
    }

    /**
     * Opens (creating when missing) the state database of {@code dataDir} on {@code disk}, moving a damaged
     * one aside first (see the class comment).
     *
     * @throws StorageException when the disk fails, another process holds the database, or a new one is
     *                          damaged as well
     */
    public static Opened open(Disk disk, LongSupplier nanoTime, Path dataDir, H2StorageConfig config) {
        Path stateDir = dataDir.resolve(DIRECTORY);
        try {
            return openAsIs(disk, nanoTime, stateDir, config);
        } catch (RuntimeException | AssertionError e) {
            if (!(e instanceof DamagedDatabaseException) && !H2Database.damagedByH2(e)) {
                throw e;
            }
            Path aside = dataDir.resolve(DAMAGED_DIRECTORY);
            String damage = e instanceof DamagedDatabaseException d ? d.damage()
                    : "database file " + stateDir.resolve(H2Database.FILE_NAME) + " is damaged (H2 fails reading it: "
                            + e + ")";
            LOG.log(Level.WARNING, warning(damage, stateDir, aside), e);
            // When H2 failed inside its own code while opening, it may have left the file open (and locked):
            // harmless, a lock on Linux holds for that file only, not for the new one created after the move.
            moveAside(disk, dataDir, stateDir, aside, e);
            return openAsIs(disk, nanoTime, stateDir, config);
        }
    }

    /** The WARNING logged when a damaged state database is moved aside (docs/storage.md quotes it). */
    static String warning(String damage, Path stateDir, Path aside) {
        return "The key-value state's " + damage + ". It holds derived data only: moving " + stateDir + " aside to "
                + aside + " (replacing an older copy there) and starting with an empty state database, which is "
                + "rebuilt from the latest snapshot and the log as the node starts. The copy is kept for diagnosis "
                + "only and may be deleted.";
    }

    private static Opened openAsIs(Disk disk, LongSupplier nanoTime, Path stateDir, H2StorageConfig config) {
        // Every checkpoint confirmed by the watermark: a crash during one may tear it, and H2 would take the torn
        // chunk as the newest state (H2Database, "A torn last commit"); found newer, it is rolled back first.
        H2Database db = H2Database.open(disk, nanoTime, stateDir, config, true, String.format(REPAIR, stateDir),
                H2Database.Confirmation.EVERY_COMMIT);
        try {
            return new Opened(db, new KvStateMachine(db, config.maxSessions(), config.restoreCommitRecords(),
                    config.checkpointMillis(), nanoTime));
        } catch (RuntimeException | Error e) {
            try {
                db.closeWithoutWriting(); // what it read may be damaged: writing more into it would help no one
            } catch (RuntimeException | Error closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /**
     * Renames {@code stateDir} to {@code aside} (an older copy there deleted first) and syncs the data
     * directory: a crash before that sync leaves either name, and a damaged {@code state/} is found again.
     */
    private static void moveAside(Disk disk, Path dataDir, Path stateDir, Path aside, Throwable damage) {
        try {
            disk.deleteRecursively(aside);
            disk.move(stateDir, aside);
            disk.syncDirectory(dataDir);
        } catch (IOException e) {
            StorageException failed = new StorageException("cannot move the damaged key-value state database "
                    + stateDir + " aside to " + aside + ": " + e + "; check the data directory's permissions and "
                    + "free space, and start the node again", e);
            failed.addSuppressed(damage);
            throw failed;
        }
    }
}
