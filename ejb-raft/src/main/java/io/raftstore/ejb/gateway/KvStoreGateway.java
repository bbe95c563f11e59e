package io.raftstore.ejb.gateway;

import io.raftstore.api.ConditionFailedException;
import io.raftstore.api.InvalidRequestException;
import io.raftstore.api.ReadConsistency;
import io.raftstore.api.StoreException;
import io.raftstore.api.UnknownTransactionException;
import io.raftstore.api.ValueTooLargeException;
import io.raftstore.api.Versioned;
import io.raftstore.api.spi.ClientRequest;
import io.raftstore.api.spi.KeyRules;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.OperationResult;
import io.raftstore.api.spi.Precondition;
import io.raftstore.api.spi.PreparedTransaction;
import io.raftstore.api.spi.ScanPage;
import io.raftstore.api.spi.StoreGateway;
import io.raftstore.api.spi.StoreLimits;
import io.raftstore.kv.Condition;
import io.raftstore.kv.KvCommand;
import io.raftstore.kv.KvLimits;
import io.raftstore.kv.KvResult;
import io.raftstore.kv.KvValidationException;
import io.raftstore.node.RequestFailedException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The gateway the resource adapter calls: API operations become {@link KvCommand}s for the node
 * ({@link KvNode}). Keys and value sizes are checked here first so that bad input fails with the API's specific
 * exception ({@code InvalidKeyException}, {@code ValueTooLargeException}) before anything is proposed.
 *
 * <p>A write carries the client session it is given ({@link ClientRequest}; the resource adapter gives one to
 * every write): the node re-sends it to a new leader and the store applies it once. Without one (client id 0) a
 * write that times out may or may not apply, and the API says so through
 * {@code StoreUnavailableException#mayHaveTakenEffect()}.
 */
public final class KvStoreGateway implements StoreGateway {

    private final KvNode node;

    public KvStoreGateway(KvNode node) {
        this.node = node;
    }

    @Override
    public Optional<Versioned> read(String key, ReadConsistency consistency) {
        KeyRules.validate(key);
        KvResult r = call(() -> node.read(new KvCommand.Get(key), consistency));
        if (r instanceof KvResult.Value v) {
            return Optional.of(KvResultMapper.versioned(v));
        }
        if (r instanceof KvResult.NotFound) {
            return Optional.empty();
        }
        throw KvResultMapper.failure(key, r);
    }

    @Override
    public ScanPage scan(String prefix, int limit, ReadConsistency consistency) {
        return scan(prefix, null, limit, consistency);
    }

    @Override
    public ScanPage scan(String prefix, String after, int limit, ReadConsistency consistency) {
        if (!prefix.isEmpty()) {
            KeyRules.validate(prefix);
        }
        KvResult r = call(() -> node.read(new KvCommand.Scan(prefix, after, limit), consistency));
        if (r instanceof KvResult.ScanResult s) {
            return new ScanPage(s.entries().stream().map(KvResultMapper::versioned).toList(), s.more());
        }
        throw KvResultMapper.failure(prefix, r);
    }

    @Override
    public OperationResult execute(Operation operation) {
        return execute(operation, 0, 0);
    }

    @Override
    public OperationResult execute(Operation operation, ClientRequest request) {
        return execute(operation, request.clientId(), request.sequence());
    }

    private OperationResult execute(Operation operation, long clientId, long sequence) {
        check(operation);
        KvCommand command = command(operation);
        KvResult r = call(() -> node.write(command, clientId, sequence));
        return KvResultMapper.single(operation.key(), requirement(operation), r);
    }

    @Override
    public long executeBatch(List<Precondition> conditions, List<Operation> operations) {
        return executeBatch(conditions, operations, 0, 0);
    }

    @Override
    public long executeBatch(List<Precondition> conditions, List<Operation> operations, ClientRequest request) {
        return executeBatch(conditions, operations, request.clientId(), request.sequence());
    }

    private long executeBatch(List<Precondition> conditions, List<Operation> operations, long clientId, long sequence) {
        List<Condition> kvConditions = conditions(conditions);
        List<KvCommand.Mutation> mutations = mutations(operations);
        KvResult r = call(() -> node.write(new KvCommand.Batch(kvConditions, mutations), clientId, sequence));
        if (r instanceof KvResult.BatchApplied b) {
            return b.index();
        }
        throw batchFailure(r, !conditions.isEmpty(), operations);
    }

    @Override
    public long prepare(String transactionId, List<Precondition> conditions, List<Operation> operations) {
        KeyRules.validate(transactionId);
        List<Condition> kvConditions = conditions(conditions);
        List<KvCommand.Mutation> mutations = mutations(operations);
        KvResult r = call(() -> node.write(new KvCommand.Prepare(transactionId, kvConditions, mutations), 0, 0));
        if (r instanceof KvResult.Prepared p) {
            return p.index();
        }
        throw batchFailure(r, true, operations);
    }

    @Override
    public void commitPrepared(String transactionId) {
        KeyRules.validate(transactionId);
        KvResult r = call(() -> node.write(new KvCommand.CommitPrepared(transactionId), 0, 0));
        if (!(r instanceof KvResult.BatchApplied)) {
            throw resolutionFailure(transactionId, r);
        }
    }

    @Override
    public void rollbackPrepared(String transactionId) {
        KeyRules.validate(transactionId);
        KvResult r = call(() -> node.write(new KvCommand.RollbackPrepared(transactionId), 0, 0));
        if (!(r instanceof KvResult.PreparedReleased)) {
            throw resolutionFailure(transactionId, r);
        }
    }

    @Override
    public List<PreparedTransaction> preparedTransactions() {
        KvResult r = call(() -> node.read(new KvCommand.ListPrepared(), ReadConsistency.LINEARIZABLE));
        if (r instanceof KvResult.PreparedList list) {
            return list.transactions().stream().map(t -> new PreparedTransaction(t.txId(), t.keys(), t.index())).toList();
        }
        throw KvResultMapper.failure("", r);
    }

    private static StoreException resolutionFailure(String transactionId, KvResult r) {
        return r instanceof KvResult.UnknownTransaction ? new UnknownTransactionException(transactionId)
                : KvResultMapper.failure(transactionId, r);
    }

    /** Why a batch or a prepare wrote nothing; a held key is a conflict when the request has conditions. */
    private static StoreException batchFailure(KvResult r, boolean conditional, List<Operation> operations) {
        if (r instanceof KvResult.ConditionFailed c) {
            return new ConditionFailedException(c.condition().key(), KvResultMapper.describe(c.condition()),
                    c.actualVersion());
        }
        if (r instanceof KvResult.KeyHeld h) {
            return KvResultMapper.held(h, conditional);
        }
        return KvResultMapper.failure(operations.isEmpty() ? "" : operations.get(0).key(), r);
    }

    private static List<Condition> conditions(List<Precondition> conditions) {
        List<Condition> kvConditions = new ArrayList<>(conditions.size());
        for (Precondition p : conditions) {
            KeyRules.validate(p.key());
            kvConditions.add(condition(p));
        }
        return kvConditions;
    }

    private List<KvCommand.Mutation> mutations(List<Operation> operations) {
        List<KvCommand.Mutation> mutations = new ArrayList<>(operations.size());
        for (Operation op : operations) {
            if (!op.batchable()) {
                throw new InvalidRequestException(op + " cannot be part of a batch: only put, delete and increment"
                        + " can; express its condition as a batch condition instead.");
            }
            check(op);
            mutations.add((KvCommand.Mutation) command(op));
        }
        return mutations;
    }

    @Override
    public StoreLimits limits() {
        KvLimits l = call(node::limits);
        return new StoreLimits(l.maxValueBytes(), l.maxBatchOps(), l.maxScanLimit());
    }

    private void check(Operation op) {
        KeyRules.validate(op.key());
        byte[] value = op instanceof Operation.Put p ? p.value()
                : op instanceof Operation.PutIfAbsent p ? p.value()
                : op instanceof Operation.CompareAndSet c ? c.value() : null;
        if (value != null) {
            int max = limits().maxValueBytes();
            if (value.length > max) {
                throw new ValueTooLargeException(KeyRules.printable(op.key()), value.length, max);
            }
        }
    }

    private static <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (RequestFailedException e) {
            throw KvResultMapper.failure(e);
        } catch (KvValidationException e) {
            throw new InvalidRequestException(e.getMessage() + "; nothing was written.");
        }
    }

    static KvCommand command(Operation op) {
        if (op instanceof Operation.Put p) {
            return new KvCommand.Put(p.key(), p.value());
        } else if (op instanceof Operation.PutIfAbsent p) {
            return new KvCommand.PutIfAbsent(p.key(), p.value());
        } else if (op instanceof Operation.CompareAndSet c) {
            return new KvCommand.CompareAndSet(c.key(), c.expectedVersion(), c.value());
        } else if (op instanceof Operation.Delete d) {
            return new KvCommand.Delete(d.key(), d.expectedVersion());
        } else if (op instanceof Operation.Increment i) {
            return new KvCommand.Increment(i.key(), i.delta());
        }
        throw new IllegalArgumentException("unknown operation " + op);
    }

    private static String requirement(Operation op) {
        if (op instanceof Operation.PutIfAbsent) {
            return "absent";
        }
        if (op instanceof Operation.CompareAndSet c) {
            return "version " + c.expectedVersion();
        }
        return op instanceof Operation.Delete d && d.expectedVersion() != null ? "version " + d.expectedVersion() : null;
    }

    static Condition condition(Precondition p) {
        if (p instanceof Precondition.VersionEquals v) {
            return new Condition.VersionEquals(v.key(), v.version());
        }
        return p instanceof Precondition.Absent ? new Condition.KeyAbsent(p.key()) : new Condition.KeyExists(p.key());
    }
}
