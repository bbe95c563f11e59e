package io.raftstore.storage.wal;

import io.raftstore.core.storage.StorageException;
import io.raftstore.storage.Disk;
import io.raftstore.storage.LogStorage;
import io.raftstore.storage.LogStoreKind;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A node's Raft log and hard state in one write-ahead log ({@value #DIRECTORY}/ in the data directory):
 * appending is one {@code pwrite} and one fsync per Ready, whatever the log's size, where a B-tree store
 * rewrites pages and its own metadata on every commit. See {@link WriteAheadLog} for the file format.
 */
public final class WalStorage implements LogStorage {
    public static final String DIRECTORY = "wal";
    public static final long DEFAULT_SEGMENT_BYTES = 16L << 20;

    private final WriteAheadLog wal;
    private final WalLogStore log;
    private final WalHardStateStore hardState;

    private WalStorage(WriteAheadLog wal) {
        this.wal = wal;
        this.log = new WalLogStore(wal);
        this.hardState = new WalHardStateStore(wal);
    }

    /**
     * Opens the write-ahead log in {@code dir} (created when missing) and replays it.
     *
     * @param mustExist refuse to start a new log: the caller knows this one was written before
     * @throws StorageException naming the file when it is damaged or, with {@code mustExist}, missing
     */
    public static WalStorage open(Path dir, long segmentBytes, boolean mustExist) {
        return open(Disk.REAL, dir, segmentBytes, mustExist);
    }

    /** {@link #open(Path, long, boolean)} on another disk than the real one (a simulated one, in tests). */
    public static WalStorage open(Disk disk, Path dir, long segmentBytes, boolean mustExist) {
        WriteAheadLog wal = WriteAheadLog.open(disk, dir, segmentBytes);
        WalStorage s = new WalStorage(wal);
        try {
            wal.replay((record, seq, offset, length) -> {
                s.log.replay(record, seq, offset, length);
                s.hardState.replay(record);
            }, mustExist);
            s.log.replayed();
        } catch (RuntimeException e) {
            wal.close();
            throw e;
        }
        wal.onNewSegment(() -> List.of(s.log.compactionPoint(), s.hardState.asRecord()));
        wal.onPlaced(s.log::placed);
        return s;
    }

    /** True when {@code dir} holds a segment file: a log was written there. */
    public static boolean hasSegments(Path dir) throws IOException {
        return hasSegments(Disk.REAL, dir);
    }

    /** {@link #hasSegments(Path)} on {@code disk}. */
    public static boolean hasSegments(Disk disk, Path dir) throws IOException {
        return disk.isDirectory(dir) && !disk.list(dir, "*" + WalSegment.SUFFIX).isEmpty();
    }

    @Override
    public LogStoreKind kind() {
        return LogStoreKind.WAL;
    }

    @Override
    public WalLogStore log() {
        return log;
    }

    @Override
    public WalHardStateStore hardState() {
        return hardState;
    }

    /**
     * Runs several writes as one frame; when {@code force} they are on disk on return, otherwise they may wait
     * for the next forced write and a crash may take them back.
     */
    @Override
    public void write(Runnable writes, boolean force) {
        wal.write(writes, force);
    }

    @Override
    public boolean syncsBesideWrites() {
        return true;
    }

    /** Forces the frames written so far while the writer appends on (see {@link WriteAheadLog#sync}). */
    @Override
    public void sync() {
        wal.sync();
    }

    /** The log itself, for tests of this package that interleave its steps. */
    WriteAheadLog writeAheadLog() {
        return wal;
    }

    /** Runs {@code action} between two writes, everything synced: the files are a consistent image. */
    @Override
    public void quiesced(Runnable action) {
        wal.quiesced(action);
    }

    /** The segment files, oldest first (call inside {@link #quiesced} for a stable list). */
    @Override
    public List<Path> files() {
        return wal.files();
    }

    @Override
    public void close() {
        wal.close();
    }
}
