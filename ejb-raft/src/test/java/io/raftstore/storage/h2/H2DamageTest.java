package io.raftstore.storage.h2;

import io.raftstore.core.HardState;
import io.raftstore.core.Membership;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.storage.SnapshotSink;
import io.raftstore.core.storage.StorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static io.raftstore.storage.h2.StorageFixtures.commands;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damage is detected on start-up: the node refuses to start with an error naming the file and what to
 * do, and never starts silently empty or shortened.
 */
class H2DamageTest {
    @TempDir
    Path dir;

    private H2Storage open() {
        return H2Storage.open(dir, H2StorageConfig.DEFAULT);
    }

    private Path dbFile() {
        return dir.resolve(H2Database.FILE_NAME);
    }

    /** A node with 200 entries in 20 commits, all applied, and a snapshot at 100 with the log compacted. */
    private void populate(boolean snapshot) {
        try (H2Storage s = open()) {
            for (int i = 0; i < 20; i++) {
                s.log().append(commands(i * 10L + 1, i * 10L + 10, 1));
            }
            s.hardState().save(new HardState(1, "n1", 200));
            s.stateMachine().apply(s.log().entries(1, 100, Long.MAX_VALUE));
            if (snapshot) {
                try (var c = s.stateMachine().capture();
                     SnapshotSink sink = s.snapshots().begin(new SnapshotMeta(c.index(), c.term(), Membership.ofVoters("n1")))) {
                    c.writeTo(sink.stream());
                    sink.commit();
                }
                s.log().compact(100);
            }
            s.stateMachine().apply(s.log().entries(101, 200, Long.MAX_VALUE));
        }
    }

    private StorageException refused(String fileMentioned) {
        StorageException e = assertThrows(StorageException.class, this::open);
        assertTrue(e.getMessage().contains(fileMentioned), e.getMessage());
        assertTrue(e.getMessage().contains("backup") || e.getMessage().contains("stop it"), e.getMessage());
        return e;
    }

    @Test
    void aTruncatedDatabaseFileIsRefused() throws IOException {
        populate(false);
        try (RandomAccessFile f = new RandomAccessFile(dbFile().toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        refused(dbFile().toString());
    }

    @Test
    void anEmptyDatabaseFileIsRefused() throws IOException {
        populate(false);
        Files.write(dbFile(), new byte[0]);
        refused(dbFile().toString());
    }

    @Test
    void aCorruptedDatabaseFileIsRefused() throws IOException {
        populate(false);
        long length = Files.size(dbFile());
        Random random = new Random(42);
        try (RandomAccessFile f = new RandomAccessFile(dbFile().toFile(), "rw")) {
            byte[] garbage = new byte[(int) (length - 8192)];
            random.nextBytes(garbage);
            f.seek(8192); // keep the two file headers, destroy every chunk
            f.write(garbage);
        }
        refused(dbFile().toString());
    }

    @Test
    void anOlderCopyOfTheDatabaseFileIsRefused() throws IOException {
        // What H2 itself would present after losing its newest chunks: an intact but older database.
        populate(false);
        Path old = dir.resolveSibling(dir.getFileName() + "-old.db");
        Files.copy(dbFile(), old);
        try (H2Storage s = open()) {
            s.log().append(commands(201, 210, 1));
        }
        Files.copy(old, dbFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertTrue(refused(dbFile().toString()).getMessage().contains("was committed"));
    }

    @Test
    void aGapInTheLogIsRefused() {
        populate(false);
        try (H2Database db = H2Database.open(dir, H2StorageConfig.DEFAULT, false)) {
            db.write(() -> db.map(H2LogStore.LOG_MAP, org.h2.mvstore.type.LongDataType.INSTANCE,
                    org.h2.mvstore.type.ByteArrayDataType.INSTANCE).remove(150L));
        }
        assertTrue(refused(dbFile().toString()).getMessage().contains("gap"));
    }

    @Test
    void aCorruptedLogEntryIsRefused() {
        populate(false);
        try (H2Database db = H2Database.open(dir, H2StorageConfig.DEFAULT, false)) {
            var log = db.<Long, byte[]>map(H2LogStore.LOG_MAP, org.h2.mvstore.type.LongDataType.INSTANCE,
                    org.h2.mvstore.type.ByteArrayDataType.INSTANCE);
            byte[] last = log.get(200L).clone();
            last[last.length - 1] ^= 1;
            db.write(() -> log.put(200L, last));
        }
        assertTrue(refused(dbFile().toString()).getMessage().contains("checksum"));
    }

    @Test
    void aLogThatContradictsTheSnapshotIsRefused() {
        populate(true);
        // Rewrite the log so that index 100 (the snapshot's, committed) carries another term.
        try (H2Database db = H2Database.open(dir, H2StorageConfig.DEFAULT, false)) {
            H2LogStore log = new H2LogStore(db);
            log.reset(99, 1);
            log.append(commands(100, 200, 2));
        }
        assertTrue(refused(dbFile().toString()).getMessage().contains("snapshot there has term 1"));
    }

    @Test
    void aLogCompactedWithoutItsSnapshotIsRefused() throws IOException {
        populate(true);
        try (H2Database db = H2Database.open(dir, H2StorageConfig.DEFAULT, false)) {
            db.write(() -> db.map(H2LogStore.META_MAP, org.h2.mvstore.type.StringDataType.INSTANCE,
                    org.h2.mvstore.type.ByteArrayDataType.INSTANCE).remove("snapshot.latest"));
        }
        assertTrue(refused(dbFile().toString()).getMessage().contains("compacted up to 100"));
    }

    @Test
    void aDamagedOrMissingSnapshotFileIsRefused() throws IOException {
        populate(true);
        Path snapshot;
        try (var files = Files.list(dir.resolve(H2SnapshotStore.DIRECTORY))) {
            snapshot = files.findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(snapshot.toFile(), "rw")) {
            f.seek(f.length() / 2);
            f.write(f.read() ^ 0xFF);
        }
        refused(snapshot.toString());
        try (RandomAccessFile f = new RandomAccessFile(snapshot.toFile(), "rw")) {
            f.setLength(f.length() - 1);
        }
        refused(snapshot.toString());
        Files.delete(snapshot);
        refused(snapshot.toString());
    }

    @Test
    void aMissingDatabaseBesideSnapshotsIsRefused() throws IOException {
        populate(true);
        Files.delete(dbFile());
        refused(dbFile().toString());
    }

    @Test
    void aSecondProcessOnTheSameDirectoryIsRefused() {
        H2Storage running = open();
        try {
            StorageException e = assertThrows(StorageException.class, this::open);
            assertTrue(e.getMessage().contains("locked"), e.getMessage());
            assertTrue(running.log().lastIndex() >= 0, "the running node is unaffected");
        } finally {
            running.close();
        }
    }
}
