package io.raftstore.storage.wal;

import io.raftstore.storage.Disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * One file of the write-ahead log, named by its sequence number so that a directory listing gives the
 * replay order. Only the newest segment is written, always at its end.
 *
 * <p>The file is allocated ahead of the writes with zeros, a chunk at a time: an fsync after overwriting
 * allocated blocks need not also journal a new file length and new blocks. Measured here with {@code dd
 * bs=4k oflag=dsync}: 0.19-0.20 ms a write into an allocated file, 0.38-0.59 ms a write that extends it.
 * Replay takes an all-zero rest of a segment for unwritten space; a rolled segment is cut to what it holds.
 */
final class WalSegment implements AutoCloseable {
    static final String SUFFIX = ".wal";

    final long seq;
    final Path file;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 16);

    private final Disk disk;
    private final FileChannel channel;
    private final long allocateChunk;
    /** Where the next frame goes; the file may be longer (allocated with zeros). */
    private long size;
    private long allocated;
    /** The highest entry index this segment holds, 0 when none: a segment goes once compaction passes it. */
    long maxIndex;

    private WalSegment(Disk disk, long seq, Path file, FileChannel channel, long size, long allocateChunk) {
        this.disk = disk;
        this.seq = seq;
        this.file = file;
        this.channel = channel;
        this.size = size;
        this.allocated = size;
        this.allocateChunk = allocateChunk;
    }

    /** @param allocateChunk how far ahead of the writes the file is allocated at a time */
    static WalSegment create(Disk disk, Path dir, long seq, long allocateChunk) throws IOException {
        Path file = dir.resolve(name(seq));
        return new WalSegment(disk, seq, file, disk.open(file, true), 0, allocateChunk);
    }

    static WalSegment open(Disk disk, Path file, long seq, long allocateChunk) throws IOException {
        FileChannel channel = disk.open(file, false);
        return new WalSegment(disk, seq, file, channel, channel.size(), allocateChunk);
    }

    static String name(long seq) {
        return String.format("%016d%s", seq, SUFFIX);
    }

    /** The sequence number of a segment file's name, or -1 when the name is not a segment's. */
    static long seqOf(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(SUFFIX) || name.length() != 16 + SUFFIX.length()) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, 16));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    long size() {
        return size;
    }

    /** Writes {@code bytes} at the end; returns the offset they start at. */
    long append(ByteBuffer bytes) throws IOException {
        allocate(size + bytes.remaining());
        long at = size;
        long pos = at;
        while (bytes.hasRemaining()) {
            pos += channel.write(bytes, pos);
        }
        size = pos;
        return at;
    }

    /** Makes the file at least {@code end} long, in chunks of zeros (real blocks, not a sparse hole). */
    private void allocate(long end) throws IOException {
        if (end <= allocated) {
            return;
        }
        long target = Math.max(end, allocated + allocateChunk);
        long pos = allocated;
        while (pos < target) {
            ByteBuffer zeros = ZEROS.duplicate();
            zeros.limit((int) Math.min(zeros.capacity(), target - pos));
            pos += channel.write(zeros, pos);
        }
        allocated = pos;
    }

    /** Replay found the written part to end at {@code end}; the rest of the file is allocated space. */
    void writtenUpTo(long end) {
        size = end;
    }

    byte[] read(long offset, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (channel.read(buf, offset + buf.position()) < 0) {
                throw new IOException(file + " ends before offset " + (offset + length));
            }
        }
        return buf.array();
    }

    /** The whole file, allocated space included. */
    byte[] readAll() throws IOException {
        return allocated == 0 ? new byte[0] : read(0, Math.toIntExact(allocated));
    }

    /** Data only: the file's length is forced too, since it grew (fdatasync covers that). */
    void force() throws IOException {
        channel.force(false);
    }

    void truncate(long newSize) throws IOException {
        channel.truncate(newSize);
        channel.force(true);
        size = newSize;
        allocated = newSize;
    }

    /** Cuts the allocated space behind the last frame: done when a newer segment takes over. */
    void trim() throws IOException {
        if (allocated > size) {
            truncate(size);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    void delete() throws IOException {
        close();
        disk.delete(file);
    }
}
