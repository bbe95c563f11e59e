package io.raftstore.jca.session;

import io.raftstore.api.ReadConsistency;
import io.raftstore.api.StoreException;
import io.raftstore.api.Versioned;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.OperationResult;
import io.raftstore.api.spi.Precondition;
import io.raftstore.api.spi.StoreGateway;

import java.util.List;
import java.util.Optional;

/** Outside a transaction: every call is its own atomic operation, replicated before it returns. */
public final class AutoCommitOperations implements KeyValueOperations {

    private final StoreGateway gateway;
    private final InputRules rules;

    public AutoCommitOperations(StoreGateway gateway) {
        this.gateway = gateway;
        this.rules = new InputRules(gateway.limits());
    }

    @Override
    public Optional<Versioned> get(String key, ReadConsistency consistency) {
        rules.key(key);
        return gateway.read(key, consistency);
    }

    @Override
    public long put(String key, byte[] value) {
        rules.keyValue(key, value);
        return written(gateway.execute(new Operation.Put(key, value)));
    }

    @Override
    public long putIfAbsent(String key, byte[] value) {
        rules.keyValue(key, value);
        return written(gateway.execute(new Operation.PutIfAbsent(key, value)));
    }

    @Override
    public long compareAndSet(String key, long expectedVersion, byte[] value) {
        rules.keyValue(key, value);
        return written(gateway.execute(new Operation.CompareAndSet(key, expectedVersion, value)));
    }

    @Override
    public boolean delete(String key) {
        rules.key(key);
        return deleted(gateway.execute(new Operation.Delete(key, null)));
    }

    @Override
    public void delete(String key, long expectedVersion) {
        rules.key(key);
        deleted(gateway.execute(new Operation.Delete(key, expectedVersion)));
    }

    @Override
    public long increment(String key, long delta) {
        rules.key(key);
        OperationResult r = gateway.execute(new Operation.Increment(key, delta));
        if (r instanceof OperationResult.Counted c) {
            return c.value();
        }
        throw unexpected(r);
    }

    @Override
    public List<Versioned> scan(String prefix, int limit, ReadConsistency consistency) {
        rules.prefix(prefix, limit);
        return gateway.scan(prefix, limit, consistency).entries();
    }

    @Override
    public long batch(List<Precondition> conditions, List<Operation> operations) {
        rules.batch(conditions, operations);
        return gateway.executeBatch(conditions, operations);
    }

    private static long written(OperationResult r) {
        if (r instanceof OperationResult.Written w) {
            return w.version();
        }
        throw unexpected(r);
    }

    private static boolean deleted(OperationResult r) {
        if (r instanceof OperationResult.Deleted d) {
            return d.existed();
        }
        throw unexpected(r);
    }

    private static StoreException unexpected(OperationResult r) {
        return new StoreException("the node answered " + r + ", which does not fit the request; the adapter and"
                + " the node may be of different versions.");
    }
}
