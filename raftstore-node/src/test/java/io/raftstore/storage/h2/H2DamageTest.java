package io.raftstore.storage.h2;

import io.raftstore.core.HardState;
import io.raftstore.core.Membership;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.storage.SnapshotSink;
import io.raftstore.core.storage.StorageException;
import io.raftstore.kv.StateDatabase;
import io.raftstore.node.storage.NodeStorage;
import io.raftstore.storage.wal.WalStorage;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Random;

import static io.raftstore.storage.h2.StorageFixtures.commands;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damage is detected on start-up: the node refuses to start with an error naming the file and what to
 * do, and never starts silently empty or shortened (save the key-value state's database, derived data,
 * which is rebuilt: see {@link StateDatabase}).
 */
class H2DamageTest {
    @TempDir
    Path dir;

    /** Small write-ahead log segments, so that the log spans several files. */
    private NodeStorage open() {
        return NodeStorage.open(dir, H2StorageConfig.DEFAULT.withWalSegmentBytes(1024));
    }

    private List<Path> walSegments() throws IOException {
        try (var files = Files.list(dir.resolve(WalStorage.DIRECTORY))) {
            return files.sorted().toList();
        }
    }

    private static void snapshot(NodeStorage s) {
        try (var c = s.stateMachine().capture();
             SnapshotSink sink = s.snapshots().begin(new SnapshotMeta(c.index(), c.term(), Membership.ofVoters("n1")))) {
            c.writeTo(sink.stream());
            sink.commit();
        }
    }

    private Path dbFile() {
        return dir.resolve(H2Database.FILE_NAME);
    }

    /** A node with 200 entries in 20 commits, all applied, and a snapshot at 100 with the log compacted. */
    private void populate(boolean snapshot) {
        try (NodeStorage s = open()) {
            for (int i = 0; i < 20; i++) {
                s.log().append(commands(i * 10L + 1, i * 10L + 10, 1));
            }
            s.hardState().save(new HardState(1, "n1", 200));
            s.stateMachine().apply(s.log().entries(1, 100, Long.MAX_VALUE));
            if (snapshot) {
                snapshot(s);
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
    void anOlderCopyOfTheDatabaseFileIsRefused(@TempDir Path elsewhere) throws IOException {
        // What H2 itself would present after losing its newest chunks: an intact but older database.
        populate(false);
        Path old = elsewhere.resolve("old.db");
        Files.copy(dbFile(), old);
        try (NodeStorage s = open()) {
            snapshot(s); // its record is an H2 commit
        }
        Files.copy(old, dbFile(), StandardCopyOption.REPLACE_EXISTING);
        assertTrue(refused(dbFile().toString()).getMessage().contains("was committed"));
    }

    @Test
    void aMissingSegmentOfTheLogIsRefused() throws IOException {
        populate(false);
        List<Path> segments = walSegments();
        assertTrue(segments.size() > 3, "the log spans " + segments.size() + " segments");
        Files.delete(segments.get(segments.size() / 2));
        StorageException e = assertThrows(StorageException.class, this::open);
        assertTrue(e.getMessage().contains("entries are missing") && e.getMessage().contains("backup"), e.getMessage());
    }

    @Test
    void aCorruptedLogEntryIsRefused() throws IOException {
        populate(false);
        Path segment = walSegments().get(1);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(f.length() - 2);
            int b = f.read();
            f.seek(f.length() - 2);
            f.write(b ^ 1);
        }
        assertTrue(refused(segment.toString()).getMessage().contains("checksum"));
    }

    @Test
    void aLogThatContradictsTheSnapshotIsRefused() {
        populate(true);
        // Rewrite the log so that index 100 (the snapshot's, committed) carries another term.
        try (WalStorage wal = WalStorage.open(dir.resolve(WalStorage.DIRECTORY), 1 << 20, true)) {
            wal.log().reset(99, 1);
            wal.log().append(commands(100, 200, 2));
        }
        assertTrue(refused(dbFile().toString()).getMessage().contains("snapshot there has term 1"));
    }

    @Test
    void aLogCompactedWithoutItsSnapshotIsRefused() throws IOException {
        populate(true);
        try (H2Database db = H2Database.open(dir, H2StorageConfig.DEFAULT, false)) {
            db.write(() -> db.map(H2LogStore.META_MAP, StringDataType.INSTANCE,
                    ByteArrayDataType.INSTANCE).remove("snapshot.latest"));
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

    /** The exception: the key-value state is derived data, so its damaged database is moved aside and rebuilt. */
    @Test
    void aDamagedStateDatabaseIsMovedAsideAndRebuiltOnTheRealDiskToo() throws IOException {
        populate(true);
        Path stateFile = dir.resolve(NodeStorage.STATE_DIRECTORY).resolve(H2Database.FILE_NAME);
        try (RandomAccessFile f = new RandomAccessFile(stateFile.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        byte[] damaged = Files.readAllBytes(stateFile);
        try (NodeStorage s = open()) {
            s.recover();
            assertEquals(200, s.stateMachine().appliedIndex(), "rebuilt from the snapshot at 100 and the log");
            assertEquals(StorageFixtures.counterAfter(200), StorageFixtures.counter(s));
        }
        assertArrayEquals(damaged, Files.readAllBytes(dir.resolve(StateDatabase.DAMAGED_DIRECTORY)
                .resolve(H2Database.FILE_NAME)), "the damaged copy, kept aside");
    }

    @Test
    void aMissingDatabaseBesideSnapshotsIsRefused() throws IOException {
        populate(true);
        Files.delete(dbFile());
        refused(dbFile().toString());
    }

    @Test
    void aSecondProcessOnTheSameDirectoryIsRefused() {
        NodeStorage running = open();
        try {
            StorageException e = assertThrows(StorageException.class, this::open);
            assertTrue(e.getMessage().contains("locked"), e.getMessage());
            assertTrue(running.log().lastIndex() >= 0, "the running node is unaffected");
        } finally {
            running.close();
        }
    }
}
