package io.raftstore.jca.session;

import io.raftstore.api.ReadConsistency;
import io.raftstore.api.Versioned;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.Precondition;

import java.util.List;
import java.util.Optional;

/** The operations of a connection, with the same meaning as in {@link io.raftstore.api.StoreConnection}. */
public interface KeyValueOperations {

    Optional<Versioned> get(String key, ReadConsistency consistency);

    long put(String key, byte[] value);

    long putIfAbsent(String key, byte[] value);

    long compareAndSet(String key, long expectedVersion, byte[] value);

    boolean delete(String key);

    void delete(String key, long expectedVersion);

    long increment(String key, long delta);

    List<Versioned> scan(String prefix, int limit, ReadConsistency consistency);

    /** An atomic batch of conditions and batchable operations; returns the new version of its keys. */
    long batch(List<Precondition> conditions, List<Operation> operations);
}
