package io.raftstore.storage.h2;

import io.raftstore.core.storage.StorageException;
import io.raftstore.storage.Disk;
import io.raftstore.storage.LogStorage;
import io.raftstore.storage.wal.WalStorage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;
import java.util.zip.CRC32C;

/**
 * Online backup of a running node and restore into an empty data directory.
 *
 * <p>{@link #backup} holds the database's and the Raft log's write locks while it copies the database file,
 * the write-ahead log's segment files (when the log is not in the database) and the latest snapshot file, after a commit and fsync: no write can interleave,
 * so the copy is a consistent image (writes of the node wait for the copy, typically well under a second per
 * hundred MiB). A manifest ({@value #MANIFEST}) records each file's length and CRC32C and is written last;
 * {@link #restore} checks it, so a partial or damaged backup is refused instead of restored. Every file, every
 * directory created (the target itself included: its parent is synced) and the manifest are durable when
 * either returns.
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
     * Copies the node's state into the new directory {@code target} (which must not exist or be empty), on the
     * disk the node's files are on.
     */
    public static void backup(Disk disk, H2Database database, LogStorage log, H2SnapshotStore snapshots,
                              Path target) {
        Path dest = target.toAbsolutePath();
        try {
            requireEmpty(disk, dest);
            createDirectories(disk, dest);
            Properties manifest = new Properties();
            database.quiesced(() -> log.quiesced(() -> {
                Path db = database.file();
                Path dataDir = Objects.requireNonNull(db.toAbsolutePath().getParent(), "a database file has a directory");
                copy(disk, db, dest.resolve(H2Database.FILE_NAME), H2Database.FILE_NAME, manifest);
                for (Path file : log.files()) { // the write-ahead log's segments; none for a log inside the database
                    String name = dataDir.relativize(file).toString();
                    copy(disk, file, dest.resolve(name), name, manifest);
                }
                VersionWatermark watermark = new VersionWatermark(disk, System::nanoTime, dest);
                watermark.write(database.committedVersion());
                copy(disk, watermark.file(), watermark.file(), VersionWatermark.FILE_NAME, manifest);
                H2SnapshotStore.SnapshotFile latest = snapshots.recordedFile();
                if (latest != null) {
                    String name = H2SnapshotStore.DIRECTORY + "/" + latest.fileName();
                    copy(disk, snapshots.directory().resolve(latest.fileName()), dest.resolve(name), name,
                            manifest);
                }
            }));
            // The copies' directory entries before the manifest that lists them, and the manifest itself
            // whole: after a crash, a manifest missing some segments' lines would restore an older log.
            syncSubdirectories(disk, dest);
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            manifest.store(text, "RaftStore node backup; restore with H2Backup.restore");
            try (FileChannel ch = disk.open(dest.resolve(MANIFEST), true)) {
                writeFully(ch, ByteBuffer.wrap(text.toByteArray()), 0);
                ch.force(true);
            }
            disk.syncDirectory(dest);
        } catch (IOException e) {
            throw new StorageException("backup to " + dest + " failed: " + e, e);
        }
    }

    private static void copy(Disk disk, Path from, Path to, String name, Properties manifest) {
        try {
            if (!from.equals(to)) {
                copyFile(disk, from, to);
            } else {
                try (FileChannel ch = disk.open(to, false)) {
                    ch.force(true);
                }
            }
            manifest.setProperty(name, disk.size(to) + ":" + crc(disk, to));
        } catch (IOException e) {
            throw new StorageException("backup: cannot copy " + from + " to " + to + ": " + e, e);
        }
    }

    /** Restores a backup on the real disk; see {@link #restore(Disk, Path, Path)}. */
    public static void restore(Path backup, Path dataDir) {
        restore(Disk.REAL, backup, dataDir);
    }

    /**
     * Restores a backup into {@code dataDir} on {@code disk}, which must not exist or be empty, after verifying
     * every file against the manifest. Open the node with the node (raftstore-node's {@code NodeStorage.open}) afterwards.
     *
     * @throws StorageException when the backup is incomplete or damaged, or the directory holds data
     */
    public static void restore(Disk disk, Path backup, Path dataDir) {
        Path src = backup.toAbsolutePath();
        Path dest = dataDir.toAbsolutePath();
        try {
            Path manifestFile = src.resolve(MANIFEST);
            if (!disk.exists(manifestFile)) {
                throw new StorageException("backup " + src + " has no " + MANIFEST + ": it is incomplete; use another "
                        + "backup");
            }
            Properties manifest = new Properties();
            try (InputStream in = Channels.newInputStream(disk.openReadOnly(manifestFile))) {
                manifest.load(in);
            }
            if (manifest.getProperty(H2Database.FILE_NAME) == null) {
                throw new StorageException("backup " + src + " lists no database file; use another backup");
            }
            for (String name : manifest.stringPropertyNames()) {
                Path file = src.resolve(name);
                String expected = manifest.getProperty(name);
                if (!disk.exists(file) || !expected.equals(disk.size(file) + ":" + crc(disk, file))) {
                    throw new StorageException("backup file " + file + " is missing or damaged (expected length:crc "
                            + expected + "); use another backup");
                }
            }
            requireEmpty(disk, dest);
            createDirectories(disk, dest);
            for (String name : manifest.stringPropertyNames()) {
                copyFile(disk, src.resolve(name), dest.resolve(name));
            }
            syncSubdirectories(disk, dest);
            disk.syncDirectory(dest);
        } catch (IOException e) {
            throw new StorageException("restore of " + src + " into " + dest + " failed: " + e, e);
        }
    }

    /** {@code dest} and the node's subdirectories in it, durably: a crash must not lose them with the copies. */
    private static void createDirectories(Disk disk, Path dest) throws IOException {
        disk.createDirectoriesDurably(dest);
        disk.createDirectoriesDurably(dest.resolve(H2SnapshotStore.DIRECTORY));
        disk.createDirectoriesDurably(dest.resolve(WalStorage.DIRECTORY));
    }

    /** The entries of the copied files in the node's subdirectories (the top directory is synced last). */
    private static void syncSubdirectories(Disk disk, Path dest) throws IOException {
        disk.syncDirectory(dest.resolve(H2SnapshotStore.DIRECTORY));
        disk.syncDirectory(dest.resolve(WalStorage.DIRECTORY));
    }

    /** Copies {@code from} to the new file {@code to} and forces it. */
    private static void copyFile(Disk disk, Path from, Path to) throws IOException {
        try (FileChannel in = disk.openReadOnly(from); FileChannel out = disk.open(to, true)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            long position = 0;
            for (int n; (n = in.read(buf.clear(), position)) > 0; position += n) {
                writeFully(out, buf.flip(), position);
            }
            out.force(true);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer src, long position) throws IOException {
        while (src.hasRemaining()) {
            position += ch.write(src, position);
        }
    }

    private static void requireEmpty(Disk disk, Path dir) throws IOException {
        if (disk.exists(dir) && !disk.list(dir, "*").isEmpty()) {
            throw new StorageException("directory " + dir + " is not empty; choose a new or empty directory");
        }
    }

    private static String crc(Disk disk, Path file) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Channels.newInputStream(disk.openReadOnly(file))) {
            for (int n; (n = in.read(buf)) > 0; ) {
                crc.update(buf, 0, n);
            }
        }
        return Long.toHexString(crc.getValue());
    }
}
