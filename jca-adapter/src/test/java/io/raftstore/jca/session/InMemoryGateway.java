package io.raftstore.jca.session;

import io.raftstore.api.ConditionFailedException;
import io.raftstore.api.InvalidRequestException;
import io.raftstore.api.KeyHeldException;
import io.raftstore.api.NotACounterException;
import io.raftstore.api.ReadConsistency;
import io.raftstore.api.StoreUnavailableException;
import io.raftstore.api.UnknownTransactionException;
import io.raftstore.api.Versioned;
import io.raftstore.api.spi.ClientRequest;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.OperationResult;
import io.raftstore.api.spi.Precondition;
import io.raftstore.api.spi.PreparedTransaction;
import io.raftstore.api.spi.ScanPage;
import io.raftstore.api.spi.StoreGateway;
import io.raftstore.api.spi.StoreLimits;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * A fake node: one sorted map, versions from a counter standing in for the log index, prepared
 * transactions holding their keys as the real state machine does, every request recorded. Thread-safe (one
 * lock), so concurrent transactions can race on it. {@link #failNext} makes the next calls fail as an
 * unreachable cluster would, {@link #loseNextAnswers} makes writes (and commits or rollbacks of prepared
 * transactions) apply and their answer get lost, as when the leader dies before it answers. Client sessions
 * are kept as the store keeps them: a repeated (client, sequence) answers the first outcome without applying
 * again.
 */
public final class InMemoryGateway implements StoreGateway {

    public static final StoreLimits LIMITS = new StoreLimits(64, 10, 100);

    private final TreeMap<String, Versioned> data = new TreeMap<>();
    /** Prepared transactions by id (their writes), and the keys they hold. */
    private final TreeMap<String, Prepared> prepared = new TreeMap<>();
    private final Map<String, String> held = new HashMap<>();
    private long index;
    final List<String> requests = new ArrayList<>();
    final List<List<Precondition>> batchConditions = new ArrayList<>();
    private int failures;
    private boolean failureMayHaveTakenEffect;
    private int lostAnswers;
    private final Map<Long, Remembered> sessions = new HashMap<>();

    /** A session's latest request and its first outcome. */
    private record Remembered(long sequence, Object outcome) {
    }

    /** The next {@code count} writes are applied, but the caller learns only that they may have taken effect. */
    public synchronized void loseNextAnswers(int count) {
        lostAnswers = count;
    }

    public synchronized void failNext(int count, boolean mayHaveTakenEffect) {
        failures = count;
        failureMayHaveTakenEffect = mayHaveTakenEffect;
    }

    /** A write by somebody else, outside any transaction under test. */
    public synchronized long externalPut(String key, String value) {
        return write(key, value.getBytes(StandardCharsets.UTF_8), ++index);
    }

    public synchronized String value(String key) {
        Versioned v = data.get(key);
        return v == null ? null : v.asString();
    }

    public synchronized long version(String key) {
        Versioned v = data.get(key);
        return v == null ? 0 : v.version();
    }

    public synchronized int writeRequests() {
        return (int) requests.stream().filter(r -> r.startsWith("execute") || r.startsWith("batch")).count();
    }

    private void maybeFail() {
        if (failures > 0) {
            failures--;
            throw new StoreUnavailableException("no quorum answered", 1000, failureMayHaveTakenEffect);
        }
    }

    @Override
    public synchronized Optional<Versioned> read(String key, ReadConsistency consistency) {
        requests.add("read " + key);
        maybeFail();
        return Optional.ofNullable(data.get(key));
    }

    @Override
    public synchronized ScanPage scan(String prefix, int limit, ReadConsistency consistency) {
        requests.add("scan " + prefix + " " + limit);
        maybeFail();
        List<Versioned> out = new ArrayList<>();
        for (Map.Entry<String, Versioned> e : data.tailMap(prefix).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            if (out.size() == limit) {
                return new ScanPage(out, true);
            }
            out.add(e.getValue());
        }
        return new ScanPage(out, false);
    }

    @Override
    public synchronized OperationResult execute(Operation op, ClientRequest request) {
        return inSession(request, () -> execute(op));
    }

    @Override
    public synchronized long executeBatch(List<Precondition> conditions, List<Operation> operations, ClientRequest request) {
        return inSession(request, () -> executeBatch(conditions, operations));
    }

    private <T> T inSession(ClientRequest request, Supplier<T> write) {
        Remembered last = sessions.get(request.clientId());
        if (last != null && last.sequence() == request.sequence()) {
            requests.add("repeated " + request.sequence());
            @SuppressWarnings("unchecked")
            T first = (T) last.outcome();
            return first;
        }
        T outcome = write.get();
        sessions.put(request.clientId(), new Remembered(request.sequence(), outcome));
        return answer(outcome);
    }

    /** What a write returns, unless its answer is to be lost. */
    private <T> T answer(T outcome) {
        if (lostAnswers > 0) {
            lostAnswers--;
            throw new StoreUnavailableException("the leader was lost before it answered", 1000, true);
        }
        return outcome;
    }

    @Override
    public synchronized OperationResult execute(Operation op) {
        requests.add("execute " + op.getClass().getSimpleName() + " " + op.key());
        maybeFail();
        boolean conditional = op instanceof Operation.PutIfAbsent || op instanceof Operation.CompareAndSet
                || (op instanceof Operation.Delete d && d.expectedVersion() != null);
        refuseHeld(List.of(op.key()), conditional, null);
        long at = ++index;
        long current = version(op.key());
        if (op instanceof Operation.Put p) {
            return new OperationResult.Written(write(p.key(), p.value(), at));
        } else if (op instanceof Operation.PutIfAbsent p) {
            require(p.key(), current == 0, "absent");
            return new OperationResult.Written(write(p.key(), p.value(), at));
        } else if (op instanceof Operation.CompareAndSet c) {
            require(c.key(), current == c.expectedVersion() && current != 0, "version " + c.expectedVersion());
            return new OperationResult.Written(write(c.key(), c.value(), at));
        } else if (op instanceof Operation.Delete d) {
            if (d.expectedVersion() != null) {
                require(d.key(), current == d.expectedVersion(), "version " + d.expectedVersion());
            }
            return new OperationResult.Deleted(data.remove(d.key()) != null);
        } else {
            Operation.Increment i = (Operation.Increment) op;
            long next = counter(i.key()) + i.delta();
            write(i.key(), Long.toString(next).getBytes(StandardCharsets.US_ASCII), at);
            return new OperationResult.Counted(next, at);
        }
    }

    @Override
    public synchronized long executeBatch(List<Precondition> conditions, List<Operation> operations) {
        requests.add("batch " + operations.size());
        batchConditions.add(List.copyOf(conditions));
        maybeFail();
        if (conditions.size() + operations.size() > LIMITS.maxBatchSize()) {
            throw new InvalidRequestException("batch too large");
        }
        refuseHeld(keys(conditions, operations), !conditions.isEmpty(), null);
        check(conditions);
        return apply(operations);
    }

    @Override
    public synchronized long prepare(String transactionId, List<Precondition> conditions, List<Operation> operations) {
        requests.add("prepare " + transactionId);
        maybeFail();
        Prepared known = prepared.get(transactionId);
        if (known != null) {
            return known.at();
        }
        List<String> keys = keys(conditions, operations);
        refuseHeld(keys, true, transactionId);
        check(conditions);
        Prepared tx = new Prepared(++index, keys, List.copyOf(operations));
        prepared.put(transactionId, tx);
        keys.forEach(k -> held.put(k, transactionId));
        return tx.at();
    }

    @Override
    public synchronized void commitPrepared(String transactionId) {
        requests.add("commitPrepared " + transactionId);
        maybeFail();
        apply(release(transactionId).writes());
        answer(null);
    }

    @Override
    public synchronized void rollbackPrepared(String transactionId) {
        requests.add("rollbackPrepared " + transactionId);
        maybeFail();
        release(transactionId);
        answer(null);
    }

    @Override
    public synchronized List<PreparedTransaction> preparedTransactions() {
        requests.add("preparedTransactions");
        maybeFail();
        List<PreparedTransaction> out = new ArrayList<>();
        prepared.forEach((id, tx) -> out.add(new PreparedTransaction(id, tx.keys(), tx.at())));
        return out;
    }

    private Prepared release(String transactionId) {
        Prepared tx = prepared.remove(transactionId);
        if (tx == null) {
            throw new UnknownTransactionException(transactionId);
        }
        tx.keys().forEach(held::remove);
        return tx;
    }

    private record Prepared(long at, List<String> keys, List<Operation> writes) {
    }

    private static List<String> keys(List<Precondition> conditions, List<Operation> operations) {
        TreeSet<String> keys = new TreeSet<>();
        conditions.forEach(c -> keys.add(c.key()));
        operations.forEach(o -> keys.add(o.key()));
        return List.copyOf(keys);
    }

    /** As the state machine: a conflict for conditional writes, a retryable failure for plain ones. */
    private void refuseHeld(List<String> keys, boolean conditional, String self) {
        for (String key : keys) {
            String holder = held.get(key);
            if (holder != null && !holder.equals(self)) {
                if (conditional) {
                    throw new ConditionFailedException(key, version(key), holder);
                }
                throw new KeyHeldException(key, holder, 1000);
            }
        }
    }

    private void check(List<Precondition> conditions) {
        for (Precondition c : conditions) {
            long v = version(c.key());
            boolean holds = c instanceof Precondition.VersionEquals e ? v != 0 && v == e.version()
                    : c instanceof Precondition.Absent ? v == 0 : v != 0;
            require(c.key(), holds, c.describe());
        }
    }

    private long apply(List<Operation> operations) {
        long at = ++index;
        for (Operation op : operations) {
            if (op instanceof Operation.Put p) {
                write(p.key(), p.value(), at);
            } else if (op instanceof Operation.Delete d) {
                data.remove(d.key());
            } else {
                Operation.Increment i = (Operation.Increment) op;
                write(i.key(), Long.toString(counter(i.key()) + i.delta()).getBytes(StandardCharsets.US_ASCII), at);
            }
        }
        return at;
    }

    @Override
    public StoreLimits limits() {
        return LIMITS;
    }

    private long write(String key, byte[] value, long at) {
        data.put(key, new Versioned(key, value, at));
        return at;
    }

    private long counter(String key) {
        Versioned v = data.get(key);
        try {
            return v == null ? 0 : Long.parseLong(v.asString());
        } catch (NumberFormatException e) {
            throw new NotACounterException(key, "not a number");
        }
    }

    private void require(String key, boolean holds, String requirement) {
        if (!holds) {
            throw new ConditionFailedException(key, requirement, version(key));
        }
    }
}
