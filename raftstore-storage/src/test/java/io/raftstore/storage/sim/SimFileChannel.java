package io.raftstore.storage.sim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A {@link FileChannel} onto a {@link SimFile}: positional and relative reads and writes, size, truncate,
 * force and an exclusive lock, which may fail as its {@link SimDisk} is told. A failed write has written a
 * prefix of its bytes (maybe none); a failed force has synced some pages and dropped the others
 * ({@link SimFile#failForce}). A crash kills the channel and releases its lock. Mapping, scattering and
 * gathering, and transfers are not simulated.
 */
final class SimFileChannel extends FileChannel {

    private final SimDisk disk;
    private final Path path;
    private final SimFile file;
    private final int generation;
    private final boolean writable;
    private long position;

    SimFileChannel(SimDisk disk, Path path, SimFile file, int generation, boolean writable) {
        this.disk = disk;
        this.path = path;
        this.file = file;
        this.generation = generation;
        this.writable = writable;
    }

    private void usable() throws IOException {
        disk.power(path);
        if (!isOpen() || !disk.alive(generation)) {
            throw new ClosedChannelException();
        }
    }

    /** Checks that this channel may change its file now, and counts the change toward a power loss. */
    private void changing() throws IOException {
        usable();
        if (!writable) {
            throw new NonWritableChannelException();
        }
        disk.change(path);
    }

    @Override
    public int read(ByteBuffer dst, long at) throws IOException {
        usable();
        byte[] bytes = new byte[dst.remaining()];
        int n = file.read(at, bytes, bytes.length);
        if (n > 0) {
            dst.put(bytes, 0, n);
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src, long at) throws IOException {
        changing();
        byte[] bytes = new byte[src.remaining()];
        src.get(bytes);
        try {
            disk.maybeFail(SimDisk.Op.WRITE, path);
        } catch (IOException e) {
            file.write(at, Arrays.copyOf(bytes, disk.random().nextInt(bytes.length + 1)));
            throw e;
        }
        file.write(at, bytes);
        return bytes.length;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = read(dst, position);
        position += Math.max(n, 0);
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = write(src, position);
        position += n;
        return n;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public FileChannel position(long newPosition) {
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        usable();
        return file.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        changing();
        file.truncate(size);
        position = Math.min(position, size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        usable();
        disk.change(path);
        try {
            disk.maybeFail(SimDisk.Op.FORCE, path);
        } catch (IOException e) {
            file.failForce(disk.random());
            throw e;
        }
        if (!disk.forceIgnored()) {
            file.force();
        }
    }

    @Override
    protected void implCloseChannel() {
        if (file.lock() != null && file.lock().channel() == this) {
            file.lock(null); // closing a channel releases its locks, as with a real one
        }
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) {
        throw new UnsupportedOperationException("scattering reads are not simulated");
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        throw new UnsupportedOperationException("gathering writes are not simulated");
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) {
        throw new UnsupportedOperationException("transfers are not simulated");
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) {
        throw new UnsupportedOperationException("transfers are not simulated");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
        throw new UnsupportedOperationException("mapping is not simulated");
    }

    /** Locks the whole file for this channel, shared or not: enough for one process keeping out another. */
    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        usable();
        FileLock held = file.lock();
        if (held != null && held.isValid()) {
            return null; // as when another process holds it
        }
        FileLock lock = new SimFileLock(position, size, shared);
        file.lock(lock);
        return lock;
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        FileLock lock = tryLock(position, size, shared);
        if (lock == null) {
            throw new IOException("simulated lock of " + path + " is held: waiting for it would never end");
        }
        return lock;
    }

    /** Valid while released by no one, its channel open and no crash came since. */
    /** The file's path: H2 puts a channel into its error messages, and a seeded run's trace must not vary. */
    @Override
    public String toString() {
        return "simulated file " + path;
    }

    private final class SimFileLock extends FileLock {
        private boolean released;

        SimFileLock(long position, long size, boolean shared) {
            super(SimFileChannel.this, position, size, shared);
        }

        @Override
        public boolean isValid() {
            return !released && isOpen() && disk.alive(generation);
        }

        @Override
        public void release() {
            released = true;
        }
    }
}
