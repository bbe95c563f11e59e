package io.raftstore.jca.session;

import io.raftstore.api.ConditionFailedException;
import io.raftstore.api.NotACounterException;
import io.raftstore.api.ReadConsistency;
import io.raftstore.api.StoreConnection;
import io.raftstore.api.TransactionConflictException;
import io.raftstore.api.Versioned;
import io.raftstore.api.spi.KeyRules;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.Precondition;
import io.raftstore.api.spi.PreparedTransaction;
import io.raftstore.api.spi.StoreGateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One transaction's view of the store: optimistic concurrency control over the gateway.
 *
 * <ul>
 *   <li>Writes are buffered in {@link #writes}; nothing reaches the store before {@link #commit()}.</li>
 *   <li>Reads see the buffered writes first, then what this transaction already read (repeatable reads),
 *       and only then ask the store; whatever the store answered is remembered in {@link #observed}.</li>
 *   <li>Every observed key becomes a condition of the commit (its version, or "absent"), so the single
 *       batch applies only if nobody changed those keys since they were read. That makes committed
 *       transactions serializable for the keys they read, whatever consistency the reads used: a stale
 *       read fails the commit instead of producing a lost update.</li>
 * </ul>
 *
 * <p>Not protected: keys that a scan did NOT return (a concurrent insert under the prefix is not a
 * conflict), and read-only transactions, which propose nothing and are not validated at commit.
 *
 * <p>Not thread-safe: a transaction belongs to one connection used by one thread.
 */
public final class BufferedTransaction implements KeyValueOperations {

    private final StoreGateway gateway;
    private final InputRules rules;
    /** Key → what the store held when this transaction first read it (empty: absent). */
    private final Map<String, Optional<Versioned>> observed = new HashMap<>();
    /** Key → its buffered write, in the order the application wrote the keys. */
    private final Map<String, Pending> writes = new LinkedHashMap<>();
    private boolean finished;

    public BufferedTransaction(StoreGateway gateway) {
        this.gateway = gateway;
        this.rules = new InputRules(gateway.limits());
    }

    @Override
    public Optional<Versioned> get(String key, ReadConsistency consistency) {
        rules.key(key);
        return view(key, consistency);
    }

    @Override
    public long put(String key, byte[] value) {
        rules.keyValue(key, value);
        buffer(key, new Pending.Write(value));
        return StoreConnection.PENDING;
    }

    @Override
    public long putIfAbsent(String key, byte[] value) {
        rules.keyValue(key, value);
        Optional<Versioned> current = view(key, ReadConsistency.LINEARIZABLE);
        if (current.isPresent()) {
            throw new ConditionFailedException(key, "absent", current.get().version());
        }
        buffer(key, new Pending.Write(value));
        return StoreConnection.PENDING;
    }

    @Override
    public long compareAndSet(String key, long expectedVersion, byte[] value) {
        rules.keyValue(key, value);
        requireVersion(key, expectedVersion);
        buffer(key, new Pending.Write(value));
        return StoreConnection.PENDING;
    }

    @Override
    public boolean delete(String key) {
        rules.key(key);
        boolean existed = view(key, ReadConsistency.LINEARIZABLE).isPresent();
        if (existed) {
            buffer(key, new Pending.Remove());
        }
        return existed;
    }

    @Override
    public void delete(String key, long expectedVersion) {
        rules.key(key);
        requireVersion(key, expectedVersion);
        buffer(key, new Pending.Remove());
    }

    @Override
    public long increment(String key, long delta) {
        rules.key(key);
        long next = incremented(key, view(key, ReadConsistency.LINEARIZABLE), delta);
        buffer(key, new Pending.Write(Long.toString(next).getBytes(StandardCharsets.US_ASCII)));
        return next;
    }

    @Override
    public List<Versioned> scan(String prefix, int limit, ReadConsistency consistency) {
        rules.prefix(prefix, limit);
        checkOpen();
        long removals = writes.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix) && e.getValue() instanceof Pending.Remove).count();
        // Fetch enough that buffered removals cannot leave fewer than `limit` visible keys when more exist.
        int fetch = (int) Math.min(rules.limits().maxScanLimit(), limit + removals);
        Map<String, Versioned> merged = new HashMap<>();
        for (Versioned v : gateway.scan(prefix, fetch, consistency).entries()) {
            // A key read before keeps its first answer: the commit is conditioned on that one.
            observed.computeIfAbsent(v.key(), k -> Optional.of(v)).ifPresent(seen -> merged.put(seen.key(), seen));
        }
        writes.forEach((key, pending) -> {
            if (key.startsWith(prefix)) {
                if (pending instanceof Pending.Write w) {
                    merged.put(key, new Versioned(key, w.value(), StoreConnection.PENDING));
                } else {
                    merged.remove(key);
                }
            }
        });
        return merged.values().stream().sorted(Comparator.comparing(Versioned::key)).limit(limit).toList();
    }

    /**
     * Inside a transaction a batch's conditions are checked now against what the transaction sees (and so
     * become conditions of the commit) and its writes join the buffer; all or none of them.
     */
    @Override
    public long batch(List<Precondition> conditions, List<Operation> operations) {
        rules.batch(conditions, operations);
        for (Precondition c : conditions) {
            Optional<Versioned> current = view(c.key(), ReadConsistency.LINEARIZABLE);
            boolean holds = c instanceof Precondition.VersionEquals v
                    ? current.map(Versioned::version).orElse(0L) == v.version() && current.isPresent()
                    : c instanceof Precondition.Absent ? current.isEmpty() : current.isPresent();
            if (!holds) {
                throw new ConditionFailedException(c.key(), c.describe(), current.map(Versioned::version).orElse(0L));
            }
        }
        // Compute every increment before buffering anything, so a bad counter leaves the buffer untouched.
        Map<String, Pending> staged = new LinkedHashMap<>();
        for (Operation op : operations) {
            if (op instanceof Operation.Put p) {
                staged.put(p.key(), new Pending.Write(p.value()));
            } else if (op instanceof Operation.Increment i) {
                long next = incremented(i.key(), view(i.key(), ReadConsistency.LINEARIZABLE), i.delta());
                staged.put(i.key(), new Pending.Write(Long.toString(next).getBytes(StandardCharsets.US_ASCII)));
            } else {
                view(op.key(), ReadConsistency.LINEARIZABLE);
                staged.put(op.key(), new Pending.Remove());
            }
        }
        rules.size(conditionCount() + writesWith(staged));
        writes.putAll(staged);
        return StoreConnection.PENDING;
    }

    /**
     * Proposes every buffered write as ONE batch conditioned on every observed version. A read-only
     * transaction proposes nothing.
     *
     * @throws TransactionConflictException when another writer changed an observed key (or a prepared
     *                                      transaction holds one); nothing is written
     */
    public void commit() {
        checkOpen();
        finished = true;
        List<Operation> operations = operations();
        if (operations.isEmpty()) {
            return;
        }
        try {
            gateway.executeBatch(conditions(), operations);
        } catch (ConditionFailedException e) {
            throw conflict(e);
        }
    }

    /**
     * The first phase of a two-phase commit: proposes the same conditions and writes as {@link #commit()}
     * would, to be recorded under {@code transactionId} and applied by its commit; every key read or written
     * is held until then. Ends this transaction either way.
     *
     * @return false when there is nothing to write (nothing was proposed: the transaction is read-only)
     * @throws TransactionConflictException when another writer changed an observed key or a prepared
     *                                      transaction holds one; nothing was prepared
     */
    public boolean prepare(String transactionId) {
        checkOpen();
        finished = true;
        List<Operation> operations = operations();
        if (operations.isEmpty()) {
            return false;
        }
        try {
            gateway.prepare(transactionId, conditions(), operations);
            return true;
        } catch (ConditionFailedException e) {
            throw conflict(e);
        }
    }

    private List<Precondition> conditions() {
        List<Precondition> conditions = new ArrayList<>(observed.size());
        observed.forEach((key, seen) -> conditions.add(seen.isPresent()
                ? new Precondition.VersionEquals(key, seen.get().version()) : new Precondition.Absent(key)));
        return conditions;
    }

    private List<Operation> operations() {
        List<Operation> operations = new ArrayList<>(writes.size());
        writes.forEach((key, pending) -> {
            if (pending instanceof Pending.Write w) {
                operations.add(new Operation.Put(key, w.value()));
            } else if (observed.getOrDefault(key, Optional.empty()).isPresent() || !observed.containsKey(key)) {
                operations.add(new Operation.Delete(key, null));
            }
        });
        return operations;
    }

    private TransactionConflictException conflict(ConditionFailedException e) {
        if (e.heldBy() != null) {
            return new TransactionConflictException(e.key(), e.heldBy());
        }
        long read = observed.getOrDefault(e.key(), Optional.empty()).map(Versioned::version).orElse(0L);
        return new TransactionConflictException(e.key(), read, e.actualVersion());
    }

    /**
     * Checks, without writing, that no key this transaction read has changed since and that no key it read
     * or wrote is held by a prepared two-phase transaction: one linearizable read (the list of prepared
     * transactions) fixes a point after every read of the transaction, and the keys are then read from
     * this node's applied state, which is at least that fresh. Only transactions that read and write are
     * checked (a read-only transaction commits nothing; one that only writes has nothing to compare). The
     * commit's (or prepare's) own conditions stay the authority: a change that slips in after this check
     * still makes it fail.
     *
     * @throws TransactionConflictException naming the first key that changed or is held
     */
    public void validate() {
        checkOpen();
        if (writes.isEmpty() || observed.isEmpty()) {
            return;
        }
        Set<String> keys = keys();
        for (PreparedTransaction prepared : gateway.preparedTransactions()) {
            for (String key : prepared.keys()) {
                if (keys.contains(key)) {
                    throw new TransactionConflictException(key, prepared.id());
                }
            }
        }
        for (Map.Entry<String, Optional<Versioned>> e : observed.entrySet()) {
            long read = e.getValue().map(Versioned::version).orElse(0L);
            long now = gateway.read(e.getKey(), ReadConsistency.STALE).map(Versioned::version).orElse(0L);
            if (now != read) {
                throw new TransactionConflictException(e.getKey(), read, now);
            }
        }
    }

    /** Discards everything; nothing was sent, so nothing needs undoing. */
    public void rollback() {
        finished = true;
        writes.clear();
        observed.clear();
    }

    /** True when the transaction has buffered writes. */
    public boolean hasWrites() {
        return !writes.isEmpty();
    }

    /** Every key the transaction read or wrote: what its commit depends on or changes. */
    public Set<String> keys() {
        Set<String> keys = new TreeSet<>(observed.keySet());
        keys.addAll(writes.keySet());
        return keys;
    }

    private Optional<Versioned> view(String key, ReadConsistency consistency) {
        checkOpen();
        Pending pending = writes.get(key);
        if (pending instanceof Pending.Write w) {
            return Optional.of(new Versioned(key, w.value(), StoreConnection.PENDING));
        }
        if (pending instanceof Pending.Remove) {
            return Optional.empty();
        }
        Optional<Versioned> seen = observed.get(key);
        if (seen == null) {
            seen = gateway.read(key, consistency);
            observed.put(key, seen);
        }
        return seen;
    }

    private void requireVersion(String key, long expectedVersion) {
        Optional<Versioned> current = view(key, ReadConsistency.LINEARIZABLE);
        if (current.isEmpty() || current.get().version() != expectedVersion) {
            throw new ConditionFailedException(key, "version " + expectedVersion,
                    current.map(Versioned::version).orElse(0L));
        }
    }

    private void buffer(String key, Pending pending) {
        checkOpen();
        Map<String, Pending> one = Map.of(key, pending);
        rules.size(conditionCount() + writesWith(one));
        writes.put(key, pending);
    }

    private int conditionCount() {
        return observed.size();
    }

    /** How many writes the buffer would hold with {@code added} merged in. */
    private int writesWith(Map<String, Pending> added) {
        int extra = 0;
        for (String key : added.keySet()) {
            if (!writes.containsKey(key)) {
                extra++;
            }
        }
        return writes.size() + extra;
    }

    private static long incremented(String key, Optional<Versioned> current, long delta) {
        if (current.isEmpty()) {
            return delta;
        }
        String text = current.get().asString();
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new NotACounterException(KeyRules.printable(key), "its value is not a decimal number");
        }
        try {
            return Math.addExact(value, delta);
        } catch (ArithmeticException e) {
            throw new NotACounterException(KeyRules.printable(key), value + " + " + delta + " overflows a 64-bit counter");
        }
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("this transaction has already committed or rolled back");
        }
    }
}
