package io.raftstore.storage.h2;

import io.raftstore.core.HardState;
import io.raftstore.core.storage.StorageException;
import io.raftstore.node.storage.NodeStorage;
import io.raftstore.storage.wal.WalStorage;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Data directories from before the write-ahead log: their log and hard state move into it, once. */
class H2LogMigrationTest {
    @TempDir
    Path dir;

    /** What a node of the earlier layout left: entries 1..300 and a vote. */
    private void writeEarlierLayout() {
        try (H2Database db = H2Database.open(dir, H2StorageConfig.DEFAULT, true)) {
            H2LogStore log = new H2LogStore(db);
            log.append(commands(1, 300, 2));
            new H2HardStateStore(db).save(new HardState(3, "n2", 0));
        }
    }

    @Test
    void theEarlierLogAndHardStateMoveIntoTheWriteAheadLog() {
        writeEarlierLayout();
        try (NodeStorage s = NodeStorage.open(dir, H2StorageConfig.DEFAULT)) {
            assertEquals(1, s.log().firstIndex());
            assertEquals(300, s.log().lastIndex());
            assertEquals(2, s.log().term(10));
            assertEquals(commands(299, 300, 2), s.log().entries(299, 300, Long.MAX_VALUE));
            assertEquals(new HardState(3, "n2", 0), s.hardState().load());
            H2LogStore legacy = new H2LogStore(s.database());
            assertEquals(0, legacy.lastIndex(), "the H2 copy was cleared once the log was in place");
            s.log().append(commands(301, 301, 3));
        }
        try (NodeStorage s = NodeStorage.open(dir, H2StorageConfig.DEFAULT)) {
            assertEquals(301, s.log().lastIndex());
            assertEquals(new HardState(3, "n2", 0), s.hardState().load());
        }
    }

    @Test
    void anInterruptedMoveIsRedoneFromTheH2Copy() throws IOException {
        writeEarlierLayout();
        Path staging = Files.createDirectories(dir.resolve(WalStorage.DIRECTORY + ".migrating"));
        // A crash's leftovers: a half-written older segment, which a log opened over them would refuse as
        // damage, and a newer one. The move must start over from an empty staging directory.
        Files.write(staging.resolve("0000000000000001.wal"), new byte[] {1, 2, 3});
        Files.write(staging.resolve("0000000000000002.wal"), new byte[] {4, 5, 6});
        try (NodeStorage s = NodeStorage.open(dir, H2StorageConfig.DEFAULT)) {
            assertEquals(300, s.log().lastIndex());
            assertEquals(new HardState(3, "n2", 0), s.hardState().load());
        }
        assertTrue(!Files.exists(staging));
    }

    @Test
    void aBackupFromBeforeTheWriteAheadLogRestoresWithItsLogAndHardState() throws IOException {
        writeEarlierLayout();
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
        try (NodeStorage s = NodeStorage.open(node, H2StorageConfig.DEFAULT)) {
            assertEquals(300, s.log().lastIndex(), "the log moved into the write-ahead log, not dropped");
            assertEquals(new HardState(3, "n2", 0), s.hardState().load(), "the vote too");
        }
    }

    @Test
    void aMissingWriteAheadLogIsRefusedInsteadOfStartingEmpty() throws IOException {
        try (NodeStorage s = NodeStorage.open(dir, H2StorageConfig.DEFAULT)) {
            s.log().append(commands(1, 5, 1));
            s.hardState().save(new HardState(1, "n1", 5));
        }
        try (Stream<Path> files = Files.walk(dir.resolve(WalStorage.DIRECTORY))) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Files.createDirectories(dir.resolve(WalStorage.DIRECTORY));
        StorageException e = assertThrows(StorageException.class, () -> NodeStorage.open(dir, H2StorageConfig.DEFAULT));
        assertTrue(e.getMessage().contains("no segment files") && e.getMessage().contains("backup"), e.getMessage());
    }
}
