package io.raftstore.storage.h2;

import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.storage.SnapshotSink;
import io.raftstore.core.storage.StorageException;
import io.raftstore.storage.Disk;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Writes one snapshot to a {@code .partial} file, counting and checksumming the bytes as they pass, and on
 * {@link #commit()} makes it durable and hands it to its {@link H2SnapshotStore}.
 */
final class FileSnapshotSink implements SnapshotSink {
    private final Disk disk;
    private final H2SnapshotStore store;
    private final SnapshotMeta meta;
    private final Path partial;
    private final Path target;
    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private final OutputStream stream;
    private long written;
    private boolean done;

    FileSnapshotSink(Disk disk, H2SnapshotStore store, SnapshotMeta meta, Path partial, Path target) {
        this.disk = disk;
        this.store = store;
        this.meta = meta;
        this.partial = partial;
        this.target = target;
        try {
            this.channel = disk.open(partial, true);
        } catch (IOException e) {
            throw new StorageException("cannot create snapshot file " + partial + ": " + e, e);
        }
        this.stream = new SinkStream();
    }

    @Override
    public SnapshotMeta meta() {
        return meta;
    }

    @Override
    public long written() {
        return written;
    }

    @Override
    public OutputStream stream() {
        return stream;
    }

    @Override
    public void commit() {
        if (done) {
            throw new IllegalStateException("snapshot sink already committed or closed");
        }
        try {
            stream.flush();
            channel.force(true);
            channel.close();
            disk.move(partial, target);
            disk.syncDirectory(target.getParent());
        } catch (IOException e) {
            close();
            throw new StorageException("cannot commit snapshot file " + target + ": " + e, e);
        }
        done = true;
        store.committed(this, new H2SnapshotStore.SnapshotFile(meta, target.getFileName().toString(), written,
                (int) crc.getValue()));
    }

    @Override
    public void close() {
        if (done) {
            return;
        }
        done = true;
        try {
            channel.close();
            disk.delete(partial);
        } catch (IOException e) {
            throw new StorageException("cannot discard snapshot file " + partial + ": " + e, e);
        }
    }

    /** Buffers writes into 64 KiB chunks so a snapshot is never held in memory as a whole. */
    private final class SinkStream extends OutputStream {
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (done) {
                throw new IOException("snapshot sink is closed");
            }
            crc.update(b, off, len);
            written += len;
            while (len > 0) {
                int n = Math.min(len, buffer.remaining());
                buffer.put(b, off, n);
                off += n;
                len -= n;
                if (!buffer.hasRemaining()) {
                    flush();
                }
            }
        }

        @Override
        public void flush() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }
    }
}
