package io.raftstore.jca;

import io.raftstore.api.ReadConsistency;
import io.raftstore.api.StoreBatch;
import io.raftstore.api.StoreConnection;
import io.raftstore.api.Versioned;
import io.raftstore.jca.session.KeyValueOperations;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The application's connection. Every call goes to the managed connection the container currently
 * associates with it (it may change under connection sharing) and from there to auto-commit or the active
 * transaction.
 */
public class StoreConnectionHandle implements StoreConnection {

    private volatile StoreManagedConnection managed;
    private volatile boolean closed;

    StoreConnectionHandle(StoreManagedConnection managed) {
        this.managed = managed;
    }

    /** @return the managed connection it belonged to before */
    StoreManagedConnection reassociate(StoreManagedConnection next) {
        StoreManagedConnection previous = managed;
        managed = next;
        closed = false;
        return previous;
    }

    /** The container took the managed connection back; further use is an error. */
    void invalidate() {
        closed = true;
    }

    private StoreManagedConnection managed() {
        StoreManagedConnection m = managed;
        if (closed || m == null) {
            throw new IllegalStateException("this RaftStore connection is closed; get a new one from the factory");
        }
        return m;
    }

    private KeyValueOperations ops() {
        return managed().operations();
    }

    @Override
    public Optional<Versioned> get(String key) {
        StoreManagedConnection m = managed();
        return m.operations().get(key, m.defaultConsistency());
    }

    @Override
    public Optional<Versioned> get(String key, ReadConsistency consistency) {
        return ops().get(key, Objects.requireNonNull(consistency, "consistency"));
    }

    @Override
    public long put(String key, byte[] value) {
        return ops().put(key, value);
    }

    @Override
    public long putIfAbsent(String key, byte[] value) {
        return ops().putIfAbsent(key, value);
    }

    @Override
    public long compareAndSet(String key, long expectedVersion, byte[] value) {
        return ops().compareAndSet(key, expectedVersion, value);
    }

    @Override
    public boolean delete(String key) {
        return ops().delete(key);
    }

    @Override
    public void delete(String key, long expectedVersion) {
        ops().delete(key, expectedVersion);
    }

    @Override
    public long increment(String key, long delta) {
        return ops().increment(key, delta);
    }

    @Override
    public List<Versioned> scan(String prefix, int limit) {
        StoreManagedConnection m = managed();
        return m.operations().scan(prefix, limit, m.defaultConsistency());
    }

    @Override
    public List<Versioned> scan(String prefix, int limit, ReadConsistency consistency) {
        return ops().scan(prefix, limit, Objects.requireNonNull(consistency, "consistency"));
    }

    @Override
    public StoreBatch batch() {
        managed();
        return new BatchCollector(this::ops);
    }

    @Override
    public boolean inTransaction() {
        return managed().session().inTransaction();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        StoreManagedConnection m = managed;
        if (m != null) {
            m.handleClosed(this);
        }
    }
}
