package io.raftstore.storage.h2;

import io.raftstore.core.HardState;
import io.raftstore.core.storage.StorageException;
import io.raftstore.storage.Disk;
import io.raftstore.storage.wal.WalStorage;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens a node's write-ahead log, first moving into it the log and hard state that data directories from
 * before it kept in the H2 database. The copy is built beside the final directory and renamed into place,
 * so a crash during it leaves the H2 copy in charge; the H2 copy is cleared only once the log is in place.
 * The database remembers that the log exists, so a log directory that later goes missing is refused
 * instead of silently starting an empty log (which could vote twice in a term).
 */
public final class H2LogMigration {
    private static final String WAL_MARKER = "log.wal";

    private H2LogMigration() {
    }

    public static WalStorage openWal(Disk disk, Path dataDir, H2Database db, long segmentBytes) {
        Path walDir = dataDir.resolve(WalStorage.DIRECTORY);
        MVMap<String, byte[]> meta = db.map(H2LogStore.META_MAP, StringDataType.INSTANCE, ByteArrayDataType.INSTANCE);
        H2LogStore legacyLog = new H2LogStore(db);
        H2HardStateStore legacyHardState = new H2HardStateStore(db);
        boolean legacy = legacyLog.lastIndex() > 0 || legacyLog.firstIndex() > 1
                || !legacyHardState.load().equals(HardState.EMPTY);
        boolean written = meta.containsKey(WAL_MARKER);
        try {
            // A log directory without segments holds nothing (H2Backup.restore creates an empty one even
            // for a backup from before the write-ahead log): the H2 copy is still the only one.
            if (!written && legacy && !WalStorage.hasSegments(disk, walDir)) {
                Path staging = dataDir.resolve(WalStorage.DIRECTORY + ".migrating");
                disk.deleteRecursively(staging); // left by an interrupted migration
                try (WalStorage copy = WalStorage.open(disk, staging, segmentBytes, false)) {
                    copy(legacyLog, legacyHardState, copy);
                }
                disk.delete(walDir); // empty, or this fails rather than lose what it holds
                disk.move(staging, walDir);
                disk.syncDirectory(dataDir);
            }
        } catch (IOException e) {
            throw new StorageException("moving the Raft log of " + db.file() + " into " + walDir + " failed: " + e
                    + "; free some disk space and start the node again (its H2 copy is still in charge)", e);
        }
        WalStorage wal = WalStorage.open(disk, walDir, segmentBytes, written);
        if (!written || legacy) {
            db.write(() -> {
                if (legacy) {
                    legacyLog.reset(0, 0);
                    legacyHardState.save(HardState.EMPTY);
                }
                meta.put(WAL_MARKER, new byte[] {1});
            });
        }
        return wal;
    }

    private static void copy(H2LogStore from, H2HardStateStore hardState, WalStorage to) {
        long first = from.firstIndex();
        long last = from.lastIndex();
        to.write(() -> to.log().reset(first - 1, from.term(first - 1)), true);
        for (long i = first; i <= last; ) {
            var chunk = from.entries(i, Math.min(last, i + 1023), 4L << 20);
            to.write(() -> to.log().append(chunk), false);
            i += chunk.size();
        }
        to.write(() -> to.hardState().save(hardState.load()), true);
    }
}
