package io.raftstore.storage.wal;

import io.raftstore.core.codec.BinaryReader;
import io.raftstore.core.codec.BinaryWriter;
import io.raftstore.core.storage.StorageException;
import io.raftstore.storage.Disk;
import io.raftstore.storage.h2.H2Database;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Segment files of append-only frames ({@link WalFrames}: {@code [int length][int CRC32C][records]}). Each outermost
 * {@link #write} becomes one frame, written with one {@code pwrite} and, when asked, one fsync: the records of
 * a Ready (entries and hard state) are atomic because a frame whose checksum fails is never replayed.
 *
 * <h2>Segments</h2>
 * Once the newest segment passes {@code segmentBytes} a new one starts with a frame restating the
 * compaction point and the hard state, so the oldest segments can be deleted as compaction passes them
 * without losing either. Deletion goes oldest first with the directory synced after each, so a crash
 * leaves a suffix of the segments, never one with a hole.
 *
 * <h2>Crash and damage</h2>
 * A crash can tear only the frames written since the last fsync, all at the end of the newest segment, and
 * in any order: the page cache writes dirty pages back as it likes, so a power loss may keep a later
 * unsynced frame and lose part of an earlier one. Every frame therefore starts with a
 * {@link WalRecord.Synced} record: how far its segment had been fsynced when the frame was written. Replay
 * cuts the newest segment at its first bad frame unless a valid frame after it says the segment was synced
 * past that frame's start (or is a frame of a build that recorded no synced positions, whose rule was that
 * a valid frame after a bad one is damage): that, and a bad frame in any older segment, is damage and
 * refuses to open. An all-zero rest of a segment is space allocated ahead of the writes (see
 * {@link WalSegment}), not damage.
 *
 * <h2>Thread safety</h2>
 * The event loop writes; {@link #quiesced} lets a backup copy the files between two writes, and {@link #sync}
 * forces what was written from another thread while the loop goes on writing.
 */
final class WriteAheadLog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WriteAheadLog.class.getName());

    /** Receives each replayed record with where it lies: segment, offset of the record, its length. */
    interface Replay {
        void record(WalRecord record, long seq, long offset, int length);
    }

    /** Learns where a frame's records landed: the segment and the file offset of the frame's first record. */
    interface Placement {
        void placed(long seq, long base);
    }

    private final Disk disk;
    private final Path dir;
    private final long segmentBytes;
    private final TreeMap<Long, WalSegment> segments = new TreeMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** A batch's buffer is reused up to this size: a fresh one per write was the largest single source of garbage. */
    private static final int BATCH_BUFFER_KEPT = 1 << 16;
    private final BinaryWriter batch = new BinaryWriter(1 << 12);
    /** Builds the frames, in a buffer kept as the batch's is. Guarded by {@link #lock}, as the batch. */
    private final WalFrames frames = new WalFrames(BATCH_BUFFER_KEPT);
    private int depth;
    private boolean forceBatch;
    /** Frames appended, and how many of them the last force of {@link #active} covered: dirty while they differ. */
    private long written;
    private long forcedThrough;
    private boolean dropOlderAfterBatch;
    /** Set by a compaction inside a write: segments to delete once that write's frame is synced; -1 for none. */
    private long deleteThroughAfterBatch = -1;
    private long batchMaxIndex;
    private WalSegment active;
    /** How far {@link #active} is known fsynced; every frame records it first (see the class comment). */
    private long syncedEnd;
    /** Bytes of the current batch taken by its {@link WalRecord.Synced} record. */
    private int framePrefix;
    private StorageException failed;
    private Supplier<List<WalRecord>> header = List::of;
    private Placement placement = (seq, base) -> { };

    private WriteAheadLog(Disk disk, Path dir, long segmentBytes) {
        this.disk = disk;
        this.dir = dir;
        this.segmentBytes = segmentBytes;
    }

    /**
     * Opens the log in {@code dir} (created durably when missing: see {@link Disk#createDirectoriesDurably}) on
     * {@code disk}; {@link #replay} must come before any write.
     */
    static WriteAheadLog open(Disk disk, Path dir, long segmentBytes) {
        try {
            disk.createDirectoriesDurably(dir);
        } catch (IOException e) {
            throw new StorageException("cannot create the write-ahead log directory " + dir + ": " + e
                    + "; check the data directory's permissions and free space", e);
        }
        return new WriteAheadLog(disk, dir, segmentBytes);
    }

    /**
     * Replays every record, oldest segment first, into {@code replay}, cutting a torn end (see the class
     * comment); then the log is ready for writes. {@code mustExist} refuses a directory without segments.
     *
     * @throws StorageException naming the file when a segment is damaged
     */
    void replay(Replay replay, boolean mustExist) {
        try {
            replaySegments(replay);
            if (active != null && active.size() == 0 && segments.size() > 1) {
                // A crash during a roll left the new segment without its header frame (which every segment
                // but the first starts with). Written on as it is, it would not restate the compaction point
                // and hard state once the older segments are deleted: drop it, the next write rolls again.
                segments.pollLastEntry().getValue().delete();
                disk.syncDirectory(dir);
                active = segments.lastEntry().getValue();
            }
            if (active == null && mustExist) {
                throw damaged(dir, "it holds no segment files, but this node wrote its log there before");
            }
            if (active == null) {
                active = WalSegment.create(disk, dir, 1, allocateChunk());
                segments.put(1L, active);
                disk.syncDirectory(dir);
            } else {
                // What replay read may have come from the page cache only (a process crash, not a power
                // loss): sync it before a new frame records it as synced.
                active.force();
            }
            syncedEnd = active.size();
        } catch (IOException e) {
            throw new StorageException("cannot read the write-ahead log in " + dir + ": " + e
                    + "; check the directory's permissions", e);
        }
    }

    /** What a new segment restates first (compaction point, hard state): the state the earlier frames built. */
    void onNewSegment(Supplier<List<WalRecord>> header) {
        this.header = header;
    }

    void onPlaced(Placement placement) {
        this.placement = placement;
    }

    private void replaySegments(Replay replay) throws IOException {
        List<Path> files = new ArrayList<>(disk.list(dir, "*" + WalSegment.SUFFIX));
        files.sort(null);
        for (int i = 0; i < files.size(); i++) {
            long seq = WalSegment.seqOf(files.get(i));
            if (seq < 0) {
                throw damaged(files.get(i), "it is not named like a segment (16 digits" + WalSegment.SUFFIX + ")");
            }
            WalSegment segment = WalSegment.open(disk, files.get(i), seq, allocateChunk());
            segments.put(seq, segment);
            active = segment;
            replaySegment(segment, i == files.size() - 1, replay);
        }
    }

    private void replaySegment(WalSegment segment, boolean newest, Replay replay) throws IOException {
        byte[] data = segment.readAll();
        int pos = 0;
        while (pos < data.length) {
            int length = WalFrames.validLength(data, pos);
            if (length < 0 && zeros(data, pos)) {
                segment.writtenUpTo(pos); // allocated, never written
                return;
            }
            if (length < 0) {
                if (!newest || syncedPast(data, pos)) {
                    throw damaged(segment.file, "the frame at offset " + pos + " fails its checksum");
                }
                LOG.warning("write-ahead log " + segment.file + ": dropping " + (data.length - pos)
                        + " bytes after offset " + pos + " that a crash left incomplete (never synced)");
                segment.truncate(pos);
                return;
            }
            BinaryReader r = new BinaryReader(data, pos + WalFrames.HEADER, length);
            int end = pos + WalFrames.HEADER + length;
            try {
                while (r.remaining() > 0) {
                    int at = end - r.remaining();
                    WalRecord record = WalRecord.decode(r);
                    if (record instanceof WalRecord.Synced) {
                        continue; // bookkeeping of this class, see syncedPast
                    }
                    replay.record(record, segment.seq, at, end - r.remaining() - at);
                    if (record instanceof WalRecord.Entry e) {
                        segment.maxIndex = Math.max(segment.maxIndex, e.entry().index());
                    }
                }
            } catch (StorageException e) {
                throw e;
            } catch (RuntimeException e) {
                throw damaged(segment.file, "the frame at offset " + pos + " holds an unreadable record (" + e.getMessage() + ")");
            }
            pos = end;
        }
    }

    /**
     * Whether the bad frame at {@code bad} must have been synced: a valid frame after it (found by following
     * the frames' length fields, never by scanning bytes) was written once the segment was fsynced past
     * {@code bad}, or was written by a build that recorded no synced positions (whose rule stands: a torn
     * write never leaves a valid frame after a bad one). Otherwise the bad frame lies in the unsynced tail,
     * which the page cache may have written back in any order, and is cut.
     */
    private static boolean syncedPast(byte[] data, int bad) {
        int at = bad;
        while (true) {
            int declared = WalFrames.declaredLength(data, at);
            if (declared <= 0 || (long) at + WalFrames.HEADER + declared >= data.length) {
                return false;
            }
            at += WalFrames.HEADER + declared;
            int length = WalFrames.validLength(data, at);
            if (length < 0) {
                continue; // another torn frame: go on after it
            }
            try {
                WalRecord first = WalRecord.decode(new BinaryReader(data, at + WalFrames.HEADER, length));
                if (!(first instanceof WalRecord.Synced synced) || synced.offset() > bad) {
                    return true;
                }
            } catch (RuntimeException unreadable) {
                return true; // its checksum holds but its records do not: not a torn write either
            }
        }
    }

    private static boolean zeros(byte[] data, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Allocation ahead of writes: 1 MiB, or a segment's size when segments are smaller (tests). */
    private long allocateChunk() {
        return Math.min(1L << 20, segmentBytes);
    }

    StorageException damaged(Path file, String what) {
        return new StorageException("write-ahead log file " + file + " is damaged: " + what + ". Stop this node and "
                + "restore its data directory from a backup, " + H2Database.REJOIN);
    }

    /**
     * Runs {@code writes}, whose records (see {@link #add}) become one frame. When {@code force} the frame is
     * on disk on return; otherwise it may wait for the next forced write, and a crash may take it back.
     * A failure after records were added stops the log: memory may
     * now be ahead of the file, so every later call fails until the node reopens its storage. Nested calls
     * join the outermost one, whose {@code force} decides for the whole frame.
     */
    void write(Runnable writes, boolean force) {
        lock.lock();
        try {
            checkUsable();
            if (depth == 0) {
                forceBatch = force; // only the outermost call decides, as its caller knows the whole batch
                WalRecord.encode(new WalRecord.Synced(syncedEnd), batch);
                framePrefix = batch.size();
            }
            depth++;
            int before = batch.size();
            try {
                writes.run();
            } catch (RuntimeException | Error e) {
                if (batch.size() > framePrefix || before > framePrefix) {
                    stopAfter(e);
                }
                throw e;
            } finally {
                depth--;
            }
            if (depth == 0) {
                try {
                    flush(forceBatch);
                } catch (RuntimeException | Error e) {
                    if (failed == null) { // not an I/O failure flush already recorded (say, out of memory)
                        stopAfter(e);
                    }
                    throw e;
                }
            }
        } finally {
            // The lock is released even if resetting the batch throws (an allocation failing): a log left locked
            // would hang every later caller instead of failing it.
            try {
                if (depth == 0) {
                    forceBatch = false;
                    deleteThroughAfterBatch = -1;
                    batchMaxIndex = 0;
                    batch.reset(BATCH_BUFFER_KEPT); // the frame copied the records out
                    framePrefix = 0;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Adds a record to the current {@link #write}; returns its offset within the frame's records. */
    int add(WalRecord record) {
        if (depth == 0) {
            throw new IllegalStateException("records are added inside write()");
        }
        int at = batch.size();
        WalRecord.encode(record, batch);
        if (record instanceof WalRecord.Entry e) {
            batchMaxIndex = Math.max(batchMaxIndex, e.entry().index());
        }
        return at;
    }

    /** Bytes added to the unwritten frame so far. */
    int pendingSize() {
        return batch.size();
    }

    /** The bytes of records added to the unwritten frame, from {@code offset} (as {@link #add} returned). */
    byte[] pending(int offset, int length) {
        byte[] all = batch.toByteArray();
        return Arrays.copyOfRange(all, offset, offset + length);
    }

    /** After the current write, start a new segment and delete all older ones (a reset made them obsolete). */
    void dropOlderSegmentsAfterWrite() {
        dropOlderAfterBatch = true;
    }

    private void flush(boolean force) {
        try {
            if (batch.size() > framePrefix) {
                long at = active.append(frames.frame(batch));
                written++;
                active.maxIndex = Math.max(active.maxIndex, batchMaxIndex);
                placement.placed(active.seq, at + WalFrames.HEADER);
            }
            long deleteThrough = deleteThroughAfterBatch;
            deleteThroughAfterBatch = -1;
            if ((force || dropOlderAfterBatch || deleteThrough >= 0) && dirty()) {
                forceActive();
            }
            if (dropOlderAfterBatch) {
                dropOlderAfterBatch = false;
                // Entries of the reset's own frame (a snapshot and the entries after it in one Ready) lie in
                // the segment it was written to, which the new one does not restate: keep that segment.
                long frameSeq = active.seq;
                boolean frameHoldsEntries = batchMaxIndex > 0;
                roll();
                deleteOlderThan(frameHoldsEntries ? frameSeq : active.seq, Long.MAX_VALUE);
            } else if (active.size() >= segmentBytes) {
                roll();
            }
            if (deleteThrough >= 0) {
                deleteOlderThan(active.seq, deleteThrough);
            }
        } catch (IOException e) {
            failed = new StorageException("writing the write-ahead log in " + dir + " failed: " + e
                    + "; check free space and the disk, then restart the node", e);
            throw failed;
        }
    }

    private void roll() throws IOException {
        if (dirty()) {
            forceActive(); // a sync() still forcing this segment then finds it rolled and leaves the marks alone
        }
        active.trim();
        WalSegment next = WalSegment.create(disk, dir, active.seq + 1, allocateChunk());
        segments.put(next.seq, next);
        active = next;
        BinaryWriter w = new BinaryWriter(64);
        WalRecord.encode(new WalRecord.Synced(0), w);
        for (WalRecord r : header.get()) {
            WalRecord.encode(r, w);
        }
        next.append(frames.frame(w));
        next.force();
        syncedEnd = next.size();
        disk.syncDirectory(dir);
    }

    /** Deletes, oldest first, segments before the active one whose entries all lie at or below {@code index}. */
    void deleteSegmentsThrough(long index) {
        lock.lock();
        try {
            checkUsable();
            if (depth > 0) {
                // Inside a write whose frame, holding the compaction, is not on disk yet: deleting now, a
                // crash before that frame would leave a log missing the entries with no compaction point.
                deleteThroughAfterBatch = Math.max(deleteThroughAfterBatch, index);
                return;
            }
            deleteOlderThan(active.seq, index);
        } catch (IOException e) {
            failed = new StorageException("deleting old write-ahead log segments in " + dir + " failed: " + e, e);
            throw failed;
        } finally {
            lock.unlock();
        }
    }

    private void deleteOlderThan(long seq, long maxIndex) throws IOException {
        while (!segments.isEmpty() && segments.firstKey() < seq && segments.firstEntry().getValue().maxIndex <= maxIndex) {
            segments.pollFirstEntry().getValue().delete();
            disk.syncDirectory(dir); // one at a time: a crash leaves a suffix of the segments
        }
    }

    byte[] read(long seq, long offset, int length) {
        WalSegment s = segments.get(seq);
        if (s == null) {
            throw new IllegalStateException("write-ahead log segment " + seq + " is gone");
        }
        try {
            return s.read(offset, length);
        } catch (IOException e) {
            throw new StorageException("reading write-ahead log file " + s.file + " failed: " + e, e);
        }
    }

    /** Runs {@code action} between two writes, after syncing: the segment files are then a consistent image. */
    void quiesced(Runnable action) {
        lock.lock();
        try {
            checkUsable();
            if (dirty()) {
                forceActive();
            }
            action.run();
        } catch (IOException e) {
            throw new StorageException("syncing the write-ahead log in " + dir + " failed: " + e, e);
        } finally {
            lock.unlock();
        }
    }

    /** The segment files, oldest first. */
    List<Path> files() {
        List<Path> out = new ArrayList<>();
        segments.values().forEach(s -> out.add(s.file));
        return out;
    }

    Path directory() {
        return dir;
    }

    private boolean dirty() {
        return written > forcedThrough;
    }

    /** Under the lock: forces the active segment, covering every frame written so far. */
    private void forceActive() throws IOException {
        active.force();
        forcedThrough = written;
        syncedEnd = active.size();
    }

    /**
     * Makes every frame written before the call durable, from any thread, without holding up the writer: the
     * fsync runs outside the lock, so the loop appends the next frames meanwhile (the leader's write-ahead log
     * is synced this way beside its event loop). Frames appended during the fsync may or may not be covered;
     * they stay dirty for the next force. A segment rolled meanwhile was forced by the roll.
     *
     * @throws StorageException when the fsync fails; the log then refuses every later call
     */
    void sync() {
        completeSync(markForSync());
    }

    /** The second half of {@link #sync}, apart so that a test can roll and delete segments in between. */
    void completeSync(SyncMark mark) {
        if (mark == null) {
            return;
        }
        IOException failure = null;
        try {
            mark.segment.force();
        } catch (IOException e) {
            failure = e; // closed by a roll (which forced it first) and a deletion: fine unless still active
        }
        synced(mark, failure);
    }

    /** What a {@link #sync} covers: the active segment, the frames written to it so far, and its end. */
    record SyncMark(WalSegment segment, long written, long end) {
    }

    /** The first half of {@link #sync}: what it will cover, or null when everything written is forced already. */
    SyncMark markForSync() {
        lock.lock();
        try {
            checkUsable();
            return dirty() ? new SyncMark(active, written, active.size()) : null;
        } finally {
            lock.unlock();
        }
    }

    private void synced(SyncMark mark, IOException failure) {
        lock.lock();
        try {
            if (mark.segment != active) {
                return;
            }
            if (failure != null) {
                failed = new StorageException("syncing the write-ahead log in " + dir + " failed: " + failure
                        + "; check free space and the disk, then restart the node", failure);
                throw failed;
            }
            if (mark.written > forcedThrough) {
                forcedThrough = mark.written;
                syncedEnd = Math.max(syncedEnd, mark.end);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Memory may now be ahead of the file: refuse every later call until the node reopens the log. */
    private void stopAfter(Throwable cause) {
        failed = new StorageException("the write-ahead log stopped after a failed write; restart the node", cause);
    }

    private void checkUsable() {
        if (failed != null) {
            throw failed;
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            for (WalSegment s : segments.values()) {
                try {
                    if (s == active && dirty() && failed == null) {
                        s.force();
                    }
                    s.close();
                } catch (IOException e) {
                    LOG.warning("closing " + s.file + ": " + e);
                }
            }
            segments.clear();
        } finally {
            lock.unlock();
        }
    }
}
