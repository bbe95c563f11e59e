package io.raftstore.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One file of the write-ahead log, named by its sequence number so that a directory listing gives the
 * replay order. Only the newest segment is written, always at its end.
 */
final class WalSegment implements AutoCloseable {
    static final String SUFFIX = ".wal";

    final long seq;
    final Path file;
    private final FileChannel channel;
    private long size;
    /** The highest entry index this segment holds, 0 when none: a segment goes once compaction passes it. */
    long maxIndex;

    private WalSegment(long seq, Path file, FileChannel channel, long size) {
        this.seq = seq;
        this.file = file;
        this.channel = channel;
        this.size = size;
    }

    static WalSegment create(Path dir, long seq) throws IOException {
        Path file = dir.resolve(name(seq));
        return new WalSegment(seq, file, FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE), 0);
    }

    static WalSegment open(Path file, long seq) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new WalSegment(seq, file, channel, channel.size());
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
        long at = size;
        long pos = at;
        while (bytes.hasRemaining()) {
            pos += channel.write(bytes, pos);
        }
        size = pos;
        return at;
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

    byte[] readAll() throws IOException {
        return size == 0 ? new byte[0] : read(0, Math.toIntExact(size));
    }

    /** Data only: the file's length is forced too, since it grew (fdatasync covers that). */
    void force() throws IOException {
        channel.force(false);
    }

    void truncate(long newSize) throws IOException {
        channel.truncate(newSize);
        channel.force(true);
        size = newSize;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    void delete() throws IOException {
        close();
        Files.deleteIfExists(file);
    }
}
