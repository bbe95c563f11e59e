package io.raftstore.core.storage.memory;

import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.storage.SnapshotSink;
import io.raftstore.core.storage.SnapshotStore;
import io.raftstore.core.storage.StorageException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link SnapshotStore} keeping the latest snapshot as a byte array. The latest snapshot is replaced as a
 * whole, by swapping one immutable holder in a volatile field, so readers on other threads always see a
 * complete snapshot while a new one is being written. {@link #reopen()} stands for a restart: the
 * unfinished sink, if any, is lost.
 */
public final class MemorySnapshotStore implements SnapshotStore {

    /** A complete snapshot; never mutated once published. */
    private record Stored(SnapshotMeta meta, byte[] data) {
    }

    private volatile Stored latest;
    /** The one sink that may still commit; begin() replaces it, abandoning the previous one. */
    private Sink current;

    public MemorySnapshotStore() {
    }

    /** A new store holding the latest committed snapshot, as after a restart. */
    public MemorySnapshotStore reopen() {
        MemorySnapshotStore copy = new MemorySnapshotStore();
        copy.latest = latest;
        return copy;
    }

    @Override
    public Optional<SnapshotMeta> latest() {
        Stored s = latest;
        return s == null ? Optional.empty() : Optional.of(s.meta);
    }

    @Override
    public long length() {
        Stored s = latest;
        return s == null ? 0 : s.data.length;
    }

    @Override
    public byte[] read(SnapshotMeta meta, long offset, int maxBytes) {
        Stored s = require(meta);
        if (offset < 0 || offset > s.data.length || maxBytes < 0) {
            throw new IllegalArgumentException("cannot read " + maxBytes + " bytes at " + offset
                    + " of a snapshot of " + s.data.length + " bytes");
        }
        int from = (int) offset;
        return Arrays.copyOfRange(s.data, from, from + Math.min(maxBytes, s.data.length - from));
    }

    @Override
    public InputStream open(SnapshotMeta meta) {
        return new ByteArrayInputStream(require(meta).data);
    }

    @Override
    public synchronized SnapshotSink begin(SnapshotMeta meta) {
        Objects.requireNonNull(meta, "meta");
        current = new Sink(meta);
        return current;
    }

    private Stored require(SnapshotMeta meta) {
        Stored s = latest;
        if (s == null || !s.meta.equals(meta)) {
            throw new StorageException("snapshot " + meta + " is not the latest snapshot ("
                    + (s == null ? "there is none" : s.meta) + "); it was replaced, restart the transfer");
        }
        return s;
    }

    private synchronized void commit(Sink sink) {
        if (sink != current) {
            throw new IllegalStateException("snapshot " + sink.meta + " was abandoned by a later begin()");
        }
        latest = new Stored(sink.meta, sink.bytes.toByteArray());
        current = null;
    }

    private synchronized void discard(Sink sink) {
        if (sink == current) {
            current = null;
        }
    }

    /** Collects bytes in memory; only {@link #commit()} publishes them. */
    private final class Sink implements SnapshotSink {
        private final SnapshotMeta meta;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private boolean committed;

        Sink(SnapshotMeta meta) {
            this.meta = meta;
        }

        @Override
        public SnapshotMeta meta() {
            return meta;
        }

        @Override
        public long written() {
            return bytes.size();
        }

        @Override
        public OutputStream stream() {
            return bytes;
        }

        @Override
        public void commit() {
            if (!committed) {
                MemorySnapshotStore.this.commit(this);
                committed = true;
            }
        }

        @Override
        public void close() {
            if (!committed) {
                discard(this);
            }
        }
    }
}
