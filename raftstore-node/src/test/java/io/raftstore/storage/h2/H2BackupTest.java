package io.raftstore.storage.h2;

import io.raftstore.core.HardState;
import io.raftstore.core.Membership;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.storage.SnapshotSink;
import io.raftstore.core.storage.StorageException;
import io.raftstore.node.storage.NodeStorage;
import io.raftstore.storage.sim.CrashMode;
import io.raftstore.storage.sim.SimDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.raftstore.storage.h2.StorageFixtures.commands;
import static io.raftstore.storage.h2.StorageFixtures.counter;
import static io.raftstore.storage.h2.StorageFixtures.counterAfter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Online backup of a node that keeps writing, and restore from it; damaged backups are refused. */
class H2BackupTest {
    /** The storage's settings; a subclass runs every case against the other log store. */
    protected H2StorageConfig config() {
        return H2StorageConfig.DEFAULT;
    }

    @TempDir
    Path tmp;

    /** Appends, commits and applies {@code n} entries in one transaction. */
    private static void write(NodeStorage s, int n) {
        long from = s.log().lastIndex() + 1;
        long to = from + n - 1;
        s.atomically(() -> {
            s.log().append(commands(from, to, 1));
            s.hardState().save(new HardState(1, "n1", to));
            s.stateMachine().apply(commands(from, to, 1));
        });
    }

    @Test
    void anOnlineBackupIsAConsistentImageThatRestores() throws Exception {
        Path node = tmp.resolve("node");
        Path backup = tmp.resolve("backup");
        Path restored = tmp.resolve("restored");
        long atBackup;
        try (NodeStorage s = NodeStorage.open(node, config())) {
            write(s, 50);
            try (var c = s.stateMachine().capture(); SnapshotSink sink = s.snapshots().begin(
                    new SnapshotMeta(c.index(), c.term(), Membership.ofVoters("n1")))) {
                c.writeTo(sink.stream());
                sink.commit();
            }
            s.log().compact(50);
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    write(s, 5);
                }
            });
            Thread.sleep(100);
            s.backup(backup); // while the writer keeps going
            stop.set(true);
            writer.get();
            atBackup = s.log().lastIndex();
        }
        H2Backup.restore(backup, restored);
        try (NodeStorage r = NodeStorage.open(restored, config())) {
            r.recover(); // the backup holds log and snapshot; the state is rebuilt from them
            long applied = r.stateMachine().appliedIndex();
            assertTrue(applied >= 50 && applied <= atBackup, "applied " + applied);
            assertEquals(r.hardState().load().commitIndex(), applied);
            assertEquals(r.log().lastIndex(), applied);
            assertEquals(counterAfter(applied), counter(r));
            assertEquals(51, r.log().firstIndex());
            assertEquals(50, r.snapshots().latest().orElseThrow().index());
            write(r, 3); // the restored node works
        }
    }

    /**
     * Nothing synced the parent of the directory a backup or a restore created (only the directory itself): a
     * power loss after either had returned could lose the whole backup, or the whole restored data directory.
     */
    @Test
    void aBackupAndARestoreOutliveAPowerLossOnceTheyReturn() {
        SimDisk disk = new SimDisk(1);
        Path backup = Path.of("/sim/backups/b1");
        Path restored = Path.of("/sim/restored");
        try (NodeStorage s = NodeStorage.open(disk, () -> 0, Path.of("/sim/node"), config())) {
            write(s, 20);
            s.backup(backup);
        }
        disk.crash(CrashMode.LOSE_UNSYNCED);
        H2Backup.restore(disk, backup, restored);
        disk.crash(CrashMode.LOSE_UNSYNCED);
        try (NodeStorage r = NodeStorage.open(disk, () -> 0, restored, config())) {
            r.recover();
            assertEquals(20, r.log().lastIndex());
            assertEquals(counterAfter(20), counter(r));
        }
    }

    @Test
    void backupAndRestoreRefuseNonEmptyDirectories() throws Exception {
        Path node = tmp.resolve("node");
        Path busy = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(busy.resolve("x"), "x");
        try (NodeStorage s = NodeStorage.open(node, config())) {
            write(s, 3);
            assertThrows(StorageException.class, () -> s.backup(busy));
            s.backup(tmp.resolve("backup"));
        }
        assertThrows(StorageException.class, () -> H2Backup.restore(tmp.resolve("backup"), busy));
        assertThrows(StorageException.class, () -> H2Backup.restore(tmp.resolve("backup"), node));
    }

    @Test
    void aDamagedOrIncompleteBackupIsRefused() throws Exception {
        Path backup = tmp.resolve("backup");
        try (NodeStorage s = NodeStorage.open(tmp.resolve("node"), config())) {
            write(s, 20);
            s.backup(backup);
        }
        try (RandomAccessFile f = new RandomAccessFile(backup.resolve(H2Database.FILE_NAME).toFile(), "rw")) {
            f.seek(f.length() / 2);
            f.write(f.read() ^ 0xFF);
        }
        StorageException e = assertThrows(StorageException.class, () -> H2Backup.restore(backup, tmp.resolve("r1")));
        assertTrue(e.getMessage().contains(H2Database.FILE_NAME) && e.getMessage().contains("damaged"), e.getMessage());
        Files.delete(backup.resolve(H2Backup.MANIFEST));
        e = assertThrows(StorageException.class, () -> H2Backup.restore(backup, tmp.resolve("r2")));
        assertTrue(e.getMessage().contains("incomplete"), e.getMessage());
        assertTrue(Files.notExists(tmp.resolve("r1").resolve(H2Database.FILE_NAME)));
    }
}
