package io.raftstore.storage.h2;

import io.raftstore.core.storage.StorageException;
import io.raftstore.storage.Fsync;
import io.raftstore.storage.wal.WalStorage;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.zip.CRC32C;

/**
 * Online backup of a running node and restore into an empty data directory.
 *
 * <p>{@link #backup} holds the database's and the write-ahead log's write locks while it copies the database
 * file, the log's segment files and the latest snapshot file, after a commit and fsync: no write can interleave, so the copy is a consistent image
 * (writes of the node wait for the copy, typically well under a second per hundred MiB). A manifest
 * ({@value #MANIFEST}) records each file's length and CRC32C and is written last; {@link #restore} checks
 * it, so a partial or damaged backup is refused instead of restored.
 *
 * <p>A restored node has the hard state (term, vote) and log of the backup's moment. Restoring all nodes of
 * a cluster from backups taken at one moment rolls the whole cluster back; restoring a single node that
 * later voted or acknowledged entries could break Raft's safety, so for one node the safe recovery is to
 * wipe it and start it again: a wiped data directory is a new incarnation, which neither votes nor counts
 * toward commitment until the leader has caught it up (see docs/storage.md, "Repairing one node").
 */
public final class H2Backup {
    public static final String MANIFEST = "backup.properties";

    private H2Backup() {
    }

    /**
     * Copies the node's state — its database, its write-ahead log and its latest snapshot — into the new
     * directory {@code target} (which must not exist or be empty).
     */
    public static void backup(H2Database database, WalStorage writeAheadLog, H2SnapshotStore snapshots, Path target) {
        Path dest = target.toAbsolutePath();
        try {
            requireEmpty(dest);
            Files.createDirectories(dest.resolve(H2SnapshotStore.DIRECTORY));
            Files.createDirectories(dest.resolve(WalStorage.DIRECTORY));
            Properties manifest = new Properties();
            database.quiesced(() -> writeAheadLog.quiesced(() -> {
                copy(database.file(), dest.resolve(H2Database.FILE_NAME), H2Database.FILE_NAME, manifest);
                for (Path segment : writeAheadLog.files()) {
                    String name = WalStorage.DIRECTORY + "/" + segment.getFileName();
                    copy(segment, dest.resolve(name), name, manifest);
                }
                VersionWatermark watermark = new VersionWatermark(dest);
                watermark.write(database.committedVersion());
                copy(watermark.file(), watermark.file(), VersionWatermark.FILE_NAME, manifest);
                H2SnapshotStore.SnapshotFile latest = snapshots.recordedFile();
                if (latest != null) {
                    String name = H2SnapshotStore.DIRECTORY + "/" + latest.fileName();
                    copy(snapshots.directory().resolve(latest.fileName()), dest.resolve(name), name, manifest);
                }
            }));
            // The copies' directory entries before the manifest that lists them, and the manifest itself
            // whole: after a crash, a manifest missing some segments' lines would restore an older log.
            fsyncSubdirectories(dest);
            Path manifestFile = dest.resolve(MANIFEST);
            try (Writer w = Files.newBufferedWriter(manifestFile, StandardCharsets.UTF_8)) {
                manifest.store(w, "RaftStore node backup; restore with H2Backup.restore");
            }
            Fsync.file(manifestFile);
            Fsync.directory(dest);
        } catch (IOException e) {
            throw new StorageException("backup to " + dest + " failed: " + e, e);
        }
    }

    private static void copy(Path from, Path to, String name, Properties manifest) {
        try {
            if (!from.equals(to)) {
                Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
            Fsync.file(to);
            manifest.setProperty(name, Files.size(to) + ":" + crc(to));
        } catch (IOException e) {
            throw new StorageException("backup: cannot copy " + from + " to " + to + ": " + e, e);
        }
    }

    /**
     * Restores a backup into {@code dataDir}, which must not exist or be empty, after verifying every file
     * against the manifest. Open the node (raftstore-node's {@code NodeStorage.open}) afterwards.
     *
     * @throws StorageException when the backup is incomplete or damaged, or the directory holds data
     */
    public static void restore(Path backup, Path dataDir) {
        Path src = backup.toAbsolutePath();
        Path dest = dataDir.toAbsolutePath();
        try {
            Path manifestFile = src.resolve(MANIFEST);
            if (!Files.exists(manifestFile)) {
                throw new StorageException("backup " + src + " has no " + MANIFEST + ": it is incomplete; use another backup");
            }
            Properties manifest = new Properties();
            try (Reader r = Files.newBufferedReader(manifestFile, StandardCharsets.UTF_8)) {
                manifest.load(r);
            }
            if (manifest.getProperty(H2Database.FILE_NAME) == null) {
                throw new StorageException("backup " + src + " lists no database file; use another backup");
            }
            for (String name : manifest.stringPropertyNames()) {
                Path file = src.resolve(name);
                String expected = manifest.getProperty(name);
                if (!Files.exists(file) || !expected.equals(Files.size(file) + ":" + crc(file))) {
                    throw new StorageException("backup file " + file + " is missing or damaged (expected length:crc "
                            + expected + "); use another backup");
                }
            }
            requireEmpty(dest);
            Files.createDirectories(dest.resolve(H2SnapshotStore.DIRECTORY));
            Files.createDirectories(dest.resolve(WalStorage.DIRECTORY));
            for (String name : manifest.stringPropertyNames()) {
                Path to = dest.resolve(name);
                Files.copy(src.resolve(name), to);
                Fsync.file(to);
            }
            fsyncSubdirectories(dest);
            Fsync.directory(dest);
        } catch (IOException e) {
            throw new StorageException("restore of " + src + " into " + dest + " failed: " + e, e);
        }
    }

    /** The entries of the copied files in the node's subdirectories (the top directory is synced last). */
    private static void fsyncSubdirectories(Path dest) throws IOException {
        Fsync.directory(dest.resolve(H2SnapshotStore.DIRECTORY));
        Fsync.directory(dest.resolve(WalStorage.DIRECTORY));
    }

    private static void requireEmpty(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                if (files.iterator().hasNext()) {
                    throw new StorageException("directory " + dir + " is not empty; choose a new or empty directory");
                }
            }
        }
    }

    private static String crc(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                crc.update(buf, 0, n);
            }
        }
        return Long.toHexString(crc.getValue());
    }
}
