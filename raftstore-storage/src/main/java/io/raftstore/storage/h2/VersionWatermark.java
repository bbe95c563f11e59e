package io.raftstore.storage.h2;

import io.raftstore.core.storage.StorageException;
import io.raftstore.storage.Disk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * A small file beside the database ({@value #FILE_NAME}) recording a database version known to be durable.
 *
 * <p>Why: when H2's MVStore finds its newest chunks damaged (a truncated or overwritten file) it silently
 * opens the newest older version that is intact — possibly an empty store. That is right for a torn last
 * commit, which was never acknowledged, but it would make a damaged node start with a shortened log or
 * no data at all. Comparing the version H2 opened with this watermark turns that into a refusal to start.
 *
 * <p>The watermark is written after a commit has been synced, at most about once a second (plus on open
 * and close), so it costs one extra fsync per second, never one per commit. Damage that removes only the
 * commits of the last second before a crash is therefore not detected by it; anything older is.
 */
final class VersionWatermark {
    static final String FILE_NAME = "raftstore.watermark";
    private static final long INTERVAL_NANOS = 1_000_000_000L;
    private static final int MAGIC = 0x52535731; // "RSW1"

    private final Disk disk;
    private final LongSupplier nanoTime;
    private final Path file;
    private long lastWriteNanos;
    private long lastWritten = -1;

    /** The watermark of the database in {@code dataDir}, on the real disk. */
    VersionWatermark(Path dataDir) {
        this(Disk.REAL, System::nanoTime, dataDir);
    }

    /** The watermark of the database in {@code dataDir} on {@code disk}, spacing writes by {@code nanoTime}. */
    VersionWatermark(Disk disk, LongSupplier nanoTime, Path dataDir) {
        this.disk = disk;
        this.nanoTime = nanoTime;
        this.file = dataDir.resolve(FILE_NAME).toAbsolutePath();
    }

    Path file() {
        return file;
    }

    boolean exists() {
        return disk.exists(file);
    }

    /** The recorded version. @throws DamagedDatabaseException when the file is damaged */
    long read() {
        try (InputStream in = Channels.newInputStream(disk.openReadOnly(file))) {
            byte[] b = in.readNBytes(17); // one more than the record: a longer file is damaged too
            ByteBuffer buf = ByteBuffer.wrap(b);
            if (b.length != 16 || buf.getInt() != MAGIC) {
                throw damaged();
            }
            long version = buf.getLong();
            if (buf.getInt() != Checksums.crc(b, 0, 12)) {
                throw damaged();
            }
            return version;
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e, e);
        }
    }

    private DamagedDatabaseException damaged() {
        return new DamagedDatabaseException("watermark file " + file + " is damaged", "Restore the data directory "
                + "from a backup (see docs/storage.md), " + H2Database.REJOIN, null);
    }

    /** Records {@code version} if the last record is older than the interval (or {@code force}). */
    void maybeWrite(long version, boolean force) {
        long now = nanoTime.getAsLong();
        if (version == lastWritten || (!force && now - lastWriteNanos < INTERVAL_NANOS)) {
            return;
        }
        write(version);
        lastWriteNanos = now;
    }

    /**
     * Replaces the file atomically, and durably: a crash leaves the old or the new watermark, both valid lower
     * bounds, and the new one once this returns (the directory is synced after the rename: a database that
     * confirms every commit, {@link H2Database.Confirmation#EVERY_COMMIT}, would otherwise find its watermark
     * taken back by a crash and its newest commit unconfirmed).
     */
    void write(long version) {
        byte[] b = new byte[16];
        ByteBuffer buf = ByteBuffer.wrap(b).putInt(MAGIC).putLong(version);
        buf.putInt(Checksums.crc(b, 0, 12));
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try {
            disk.delete(tmp); // left by a crash, maybe with other bytes
            try (FileChannel ch = disk.open(tmp, true)) {
                ByteBuffer src = ByteBuffer.wrap(b);
                while (src.hasRemaining()) {
                    ch.write(src);
                }
                ch.force(true);
            }
            disk.move(tmp, file);
            disk.syncDirectory(file.getParent());
            lastWritten = version;
        } catch (IOException e) {
            throw new StorageException("cannot write " + file + ": " + e, e);
        }
    }
}
