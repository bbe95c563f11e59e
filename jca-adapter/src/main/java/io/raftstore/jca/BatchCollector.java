package io.raftstore.jca;

import io.raftstore.api.StoreBatch;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.Precondition;
import io.raftstore.jca.session.KeyValueOperations;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Collects a batch's conditions and writes; {@link #commit()} hands them over in one call, to auto-commit
 * or to the transaction active at that moment. Validation happens there too, so a bad batch sends nothing.
 */
final class BatchCollector implements StoreBatch {

    private final Supplier<KeyValueOperations> target;
    private final List<Precondition> conditions = new ArrayList<>();
    private final List<Operation> operations = new ArrayList<>();
    private boolean committed;

    BatchCollector(Supplier<KeyValueOperations> target) {
        this.target = target;
    }

    @Override
    public StoreBatch requireVersion(String key, long version) {
        conditions.add(new Precondition.VersionEquals(key, version));
        return this;
    }

    @Override
    public StoreBatch requireAbsent(String key) {
        conditions.add(new Precondition.Absent(key));
        return this;
    }

    @Override
    public StoreBatch requireExists(String key) {
        conditions.add(new Precondition.Exists(key));
        return this;
    }

    @Override
    public StoreBatch put(String key, byte[] value) {
        operations.add(new Operation.Put(key, value));
        return this;
    }

    @Override
    public StoreBatch delete(String key) {
        operations.add(new Operation.Delete(key, null));
        return this;
    }

    @Override
    public StoreBatch increment(String key, long delta) {
        operations.add(new Operation.Increment(key, delta));
        return this;
    }

    @Override
    public long commit() {
        if (committed) {
            throw new IllegalStateException("this batch was already committed; start a new one with batch()");
        }
        committed = true;
        return target.get().batch(conditions, operations);
    }
}
