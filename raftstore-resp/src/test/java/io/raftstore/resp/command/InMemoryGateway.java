package io.raftstore.resp.command;

import io.raftstore.api.ConditionFailedException;
import io.raftstore.api.InvalidRequestException;
import io.raftstore.api.NotACounterException;
import io.raftstore.api.ReadConsistency;
import io.raftstore.api.StoreUnavailableException;
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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A fake node for the dispatcher's tests: one sorted map, versions from a counter standing in for the log
 * index, every request recorded. Client sessions behave as the store's: a repeated (client, sequence) answers
 * the first outcome without applying again. {@link #loseNextAnswers} applies writes and loses their answers,
 * as when the leader dies before answering; {@link #failNext} fails calls as an unreachable cluster would;
 * {@link #beforeNextBatch} lets a test write "concurrently" between a command's reads and its batch.
 */
public final class InMemoryGateway implements StoreGateway {

    static final StoreLimits LIMITS = new StoreLimits(64, 10, 5);

    private final TreeMap<String, Versioned> data = new TreeMap<>();
    private long index;
    final List<String> requests = new ArrayList<>();
    final List<ReadConsistency> readConsistencies = new ArrayList<>();
    final List<ClientRequest> clientRequests = new ArrayList<>();
    private int failures;
    private int lostAnswers;
    private final List<Runnable> beforeBatches = new ArrayList<>();
    private final Map<Long, Remembered> sessions = new HashMap<>();

    private record Remembered(long sequence, Object outcome) {
    }

    /** The store calls so far, e.g. "read k", "batch 0+2". */
    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    synchronized void loseNextAnswers(int count) {
        lostAnswers = count;
    }

    synchronized void failNext(int count) {
        failures = count;
    }

    /** Runs {@code write} just before the next batch is checked, once. */
    synchronized void beforeNextBatch(Runnable write) {
        beforeBatches.add(write);
    }

    synchronized long externalPut(String key, String value) {
        return put(key, value.getBytes(StandardCharsets.UTF_8), ++index);
    }

    public synchronized String value(String key) {
        Versioned v = data.get(key);
        return v == null ? null : v.asString();
    }

    synchronized long version(String key) {
        Versioned v = data.get(key);
        return v == null ? 0 : v.version();
    }

    synchronized long writes() {
        return requests.stream().filter(r -> r.startsWith("execute") || r.startsWith("batch")).count();
    }

    private void maybeFail() {
        if (failures > 0) {
            failures--;
            throw new StoreUnavailableException("no leader is known", 1000, false);
        }
    }

    @Override
    public synchronized Optional<Versioned> read(String key, ReadConsistency consistency) {
        requests.add("read " + key);
        readConsistencies.add(consistency);
        maybeFail();
        KeyRules.validate(key);
        return Optional.ofNullable(data.get(key));
    }

    @Override
    public synchronized ScanPage scan(String prefix, int limit, ReadConsistency consistency) {
        return scan(prefix, null, limit, consistency);
    }

    @Override
    public synchronized ScanPage scan(String prefix, String after, int limit, ReadConsistency consistency) {
        requests.add("scan " + prefix + (after == null ? "" : " after " + after) + " " + limit);
        readConsistencies.add(consistency);
        maybeFail();
        List<Versioned> out = new ArrayList<>();
        SortedMap<String, Versioned> from = after != null && after.compareTo(prefix) > 0
                ? data.tailMap(after + "\0") : data.tailMap(prefix);
        for (Map.Entry<String, Versioned> e : from.entrySet()) {
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
        clientRequests.add(request);
        Remembered last = sessions.get(request.clientId());
        T outcome;
        if (last != null && last.sequence() == request.sequence()) {
            requests.add("repeated " + request.sequence());
            @SuppressWarnings("unchecked")
            T first = (T) last.outcome();
            outcome = first;
        } else if (last != null && request.sequence() < last.sequence()) {
            throw new IllegalStateException("sequence " + request.sequence() + " after " + last.sequence());
        } else {
            outcome = write.get();
            sessions.put(request.clientId(), new Remembered(request.sequence(), outcome));
        }
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
        KeyRules.validate(op.key());
        long at = ++index;
        if (op instanceof Operation.Put p) {
            return new OperationResult.Written(put(p.key(), p.value(), at));
        } else if (op instanceof Operation.Delete d) {
            return new OperationResult.Deleted(data.remove(d.key()) != null);
        } else if (op instanceof Operation.Increment i) {
            long next = increment(i.key(), i.delta(), at);
            return new OperationResult.Counted(next, at);
        }
        throw new UnsupportedOperationException("the dispatcher does not send " + op);
    }

    @Override
    public synchronized long executeBatch(List<Precondition> conditions, List<Operation> operations) {
        requests.add("batch " + conditions.size() + "+" + operations.size());
        List<Runnable> before = List.copyOf(beforeBatches);
        beforeBatches.clear();
        before.forEach(Runnable::run);
        maybeFail();
        if (conditions.size() + operations.size() > LIMITS.maxBatchSize()) {
            throw new InvalidRequestException("batch too large");
        }
        for (Precondition c : conditions) {
            long v = version(c.key());
            boolean holds = c instanceof Precondition.VersionEquals e ? v != 0 && v == e.version()
                    : c instanceof Precondition.Absent ? v == 0 : v != 0;
            if (!holds) {
                throw new ConditionFailedException(c.key(), c.describe(), v);
            }
        }
        for (Operation op : operations) {
            // A batch is all or nothing: refuse a value too large before anything is applied.
            if (op instanceof Operation.Put p && p.value().length > LIMITS.maxValueBytes()) {
                throw new ValueTooLargeException(p.key(), p.value().length, LIMITS.maxValueBytes());
            }
        }
        long at = ++index;
        for (Operation op : operations) {
            if (op instanceof Operation.Put p) {
                put(p.key(), p.value(), at);
            } else if (op instanceof Operation.Delete d) {
                data.remove(d.key());
            } else {
                Operation.Increment i = (Operation.Increment) op;
                increment(i.key(), i.delta(), at);
            }
        }
        return at;
    }

    // Two-phase XA is the resource adapter's; the Redis protocol never prepares, so these are never called.
    @Override
    public long prepare(String transactionId, List<Precondition> conditions, List<Operation> operations) {
        throw new UnsupportedOperationException("not used by the Redis protocol");
    }

    @Override
    public void commitPrepared(String transactionId) {
        throw new UnsupportedOperationException("not used by the Redis protocol");
    }

    @Override
    public void rollbackPrepared(String transactionId) {
        throw new UnsupportedOperationException("not used by the Redis protocol");
    }

    @Override
    public List<PreparedTransaction> preparedTransactions() {
        throw new UnsupportedOperationException("not used by the Redis protocol");
    }

    @Override
    public StoreLimits limits() {
        return LIMITS;
    }

    private long put(String key, byte[] value, long at) {
        if (value.length > LIMITS.maxValueBytes()) {
            throw new ValueTooLargeException(key, value.length, LIMITS.maxValueBytes());
        }
        data.put(key, new Versioned(key, value, at));
        return at;
    }

    private long increment(String key, long delta, long at) {
        Versioned v = data.get(key);
        long next;
        try {
            next = Math.addExact(v == null ? 0 : Long.parseLong(v.asString()), delta);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new NotACounterException(key, "not a number, or out of range");
        }
        put(key, Long.toString(next).getBytes(StandardCharsets.US_ASCII), at);
        return next;
    }
}
