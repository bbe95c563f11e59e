package io.raftstore.storage.h2;

import io.raftstore.core.HardState;
import io.raftstore.core.storage.StorageException;
import io.raftstore.node.storage.NodeStorage;
import io.raftstore.storage.LogStoreKind;
import io.raftstore.storage.wal.WalStorage;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static io.raftstore.storage.h2.StorageFixtures.commands;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code raftstore.log.store}: a data directory keeps the log store it was created with, older directories are
 * recognised by what they hold, and a log that went missing is refused instead of started empty.
 */
class LogStoreChoiceTest {
    private static final H2StorageConfig WAL = H2StorageConfig.DEFAULT.withLogStore(LogStoreKind.WAL);
    private static final H2StorageConfig H2 = H2StorageConfig.DEFAULT.withLogStore(LogStoreKind.H2);

    @TempDir
    Path dir;

    /** What a node from before the write-ahead log left: entries 1..300 and a vote in its H2 database. */
    private void writeLayoutFromBeforeTheWriteAheadLog() {
        try (H2Database db = H2Database.open(dir, H2StorageConfig.DEFAULT, true)) {
            new H2LogStore(db).append(commands(1, 300, 2));
            new H2HardStateStore(db).save(new HardState(3, "n2", 0));
        }
    }

    private void writeFiveEntries(H2StorageConfig config) {
        try (NodeStorage s = NodeStorage.open(dir, config)) {
            s.atomically(() -> {
                s.log().append(commands(1, 5, 1));
                s.hardState().save(new HardState(1, "n1", 5));
            });
        }
    }

    @Test
    void aDirectoryCreatedWithTheH2StoreRefusesTheWriteAheadLogAndSaysWhatToSet() {
        writeFiveEntries(H2);
        StorageException e = assertThrows(StorageException.class, () -> NodeStorage.open(dir, WAL));
        assertTrue(e.getMessage().contains("H2 database") && e.getMessage().contains("raftstore.log.store=h2"),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve(WalStorage.DIRECTORY)), "no empty write-ahead log was started");
        try (NodeStorage s = NodeStorage.open(dir, H2)) {
            assertEquals(5, s.log().lastIndex(), "nothing was lost by the refusal");
            assertEquals(new HardState(1, "n1", 5), s.hardState().load());
        }
    }

    @Test
    void aDirectoryCreatedWithTheWriteAheadLogRefusesTheH2Store() {
        writeFiveEntries(WAL);
        StorageException e = assertThrows(StorageException.class, () -> NodeStorage.open(dir, H2));
        assertTrue(e.getMessage().contains("write-ahead log") && e.getMessage().contains("raftstore.log.store=wal"),
                e.getMessage());
        try (NodeStorage s = NodeStorage.open(dir, WAL)) {
            assertEquals(5, s.log().lastIndex());
        }
    }

    @Test
    void aDirectoryFromBeforeTheWriteAheadLogIsAnH2StoreDirectory() {
        writeLayoutFromBeforeTheWriteAheadLog();
        StorageException e = assertThrows(StorageException.class, () -> NodeStorage.open(dir, WAL));
        assertTrue(e.getMessage().contains("raftstore.log.store=h2"), e.getMessage());
        try (NodeStorage s = NodeStorage.open(dir, H2)) {
            assertEquals(300, s.log().lastIndex());
            assertEquals(2, s.log().term(10));
            assertEquals(new HardState(3, "n2", 0), s.hardState().load());
            s.atomically(() -> s.log().append(commands(301, 301, 3)));
        }
        try (NodeStorage s = NodeStorage.open(dir, H2)) {
            assertEquals(301, s.log().lastIndex());
        }
    }

    @Test
    void aWriteAheadLogDirectoryFromBeforeTheRecordIsKnownByItsEarlierMarker() {
        writeFiveEntries(WAL);
        try (H2Database db = H2Database.open(dir, H2StorageConfig.DEFAULT, false)) {
            var meta = db.map(H2LogStore.META_MAP, StringDataType.INSTANCE, ByteArrayDataType.INSTANCE);
            db.write(() -> {
                meta.remove(LogStores.STORE_KEY);
                meta.put(LogStores.WAL_MARKER, new byte[] {1});
            });
        }
        assertThrows(StorageException.class, () -> NodeStorage.open(dir, H2));
        try (NodeStorage s = NodeStorage.open(dir, WAL)) {
            assertEquals(5, s.log().lastIndex());
        }
    }

    @Test
    void aBackupFromBeforeTheWriteAheadLogRestoresAsAnH2StoreDirectory() throws IOException {
        writeLayoutFromBeforeTheWriteAheadLog();
        // A backup as H2Backup made it before the write-ahead log: the database and its watermark.
        Path backup = Files.createDirectories(dir.resolve("backup"));
        Properties manifest = new Properties();
        for (String name : new String[] {H2Database.FILE_NAME, VersionWatermark.FILE_NAME}) {
            Files.copy(dir.resolve(name), backup.resolve(name));
            CRC32C crc = new CRC32C();
            crc.update(Files.readAllBytes(backup.resolve(name)));
            manifest.setProperty(name, Files.size(backup.resolve(name)) + ":" + Long.toHexString(crc.getValue()));
        }
        try (Writer w = Files.newBufferedWriter(backup.resolve(H2Backup.MANIFEST))) {
            manifest.store(w, null);
        }
        Path node = dir.resolve("node");
        H2Backup.restore(backup, node);
        try (NodeStorage s = NodeStorage.open(node, H2)) {
            assertEquals(300, s.log().lastIndex());
            assertEquals(new HardState(3, "n2", 0), s.hardState().load(), "the vote too");
        }
    }

    @Test
    void aMissingWriteAheadLogIsRefusedInsteadOfStartingEmpty() throws IOException {
        writeFiveEntries(WAL);
        try (Stream<Path> files = Files.walk(dir.resolve(WalStorage.DIRECTORY))) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Files.createDirectories(dir.resolve(WalStorage.DIRECTORY));
        StorageException e = assertThrows(StorageException.class, () -> NodeStorage.open(dir, WAL));
        assertTrue(e.getMessage().contains("no segment files") && e.getMessage().contains("backup"), e.getMessage());
    }
}
