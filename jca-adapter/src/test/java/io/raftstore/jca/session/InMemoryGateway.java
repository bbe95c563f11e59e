package io.raftstore.jca.session;

import io.raftstore.api.ConditionFailedException;
import io.raftstore.api.InvalidRequestException;
import io.raftstore.api.NotACounterException;
import io.raftstore.api.ReadConsistency;
import io.raftstore.api.StoreUnavailableException;
import io.raftstore.api.Versioned;
import io.raftstore.api.spi.ClientRequest;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.OperationResult;
import io.raftstore.api.spi.Precondition;
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
import java.util.function.Supplier;

/**
 * A fake node: one sorted map, versions from a counter standing in for the log index, every request
 * recorded. Thread-safe (one lock), so concurrent transactions can race on it. {@link #failNext} makes the
 * next calls fail as an unreachable cluster would, {@link #loseNextAnswers} makes writes apply and their answer
 * get lost, as when the leader dies before it answers. Client sessions are kept as the store keeps them: a
 * repeated (client, sequence) answers the first outcome without applying again.
 */
public final class InMemoryGateway implements StoreGateway {

    public static final StoreLimits LIMITS = new StoreLimits(64, 10, 100);

    private final TreeMap<String, Versioned> data = new TreeMap<>();
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
        for (Precondition c : conditions) {
            long v = version(c.key());
            boolean holds = c instanceof Precondition.VersionEquals e ? v != 0 && v == e.version()
                    : c instanceof Precondition.Absent ? v == 0 : v != 0;
            require(c.key(), holds, c.describe());
        }
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
