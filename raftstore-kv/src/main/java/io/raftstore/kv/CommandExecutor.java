package io.raftstore.kv;

import org.h2.mvstore.Cursor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Executes one command against the key-value tables at a log index. Deterministic: the result depends
 * only on the tables, the command and the index, never on the node's configuration (see
 * {@link KvLimits#AT_APPLY}). Every check happens before the first write, so a rejected command or a
 * failed condition changes nothing. A write that touches a key held by a prepared two-phase transaction
 * changes nothing either ({@link KvResult.KeyHeld}; see {@link PreparedCommands}).
 */
final class CommandExecutor {

    static boolean isRead(KvCommand command) {
        return command instanceof KvCommand.Get || command instanceof KvCommand.Scan
                || command instanceof KvCommand.ListPrepared;
    }

    KvResult execute(KvTables t, KvCommand command, long index) {
        try {
            KvLimits.AT_APPLY.validate(command);
        } catch (KvValidationException e) {
            return new KvResult.Rejected(KvResult.Reason.INVALID_ARGUMENT, e.getMessage());
        }
        if (command instanceof KvCommand.Prepare || command instanceof KvCommand.CommitPrepared
                || command instanceof KvCommand.RollbackPrepared || command instanceof KvCommand.ListPrepared) {
            return PreparedCommands.execute(t, command, index);
        }
        KvResult held = PreparedCommands.held(t, command);
        if (held != null) {
            return held;
        }
        if (command instanceof KvCommand.Get c) {
            return get(t, c.key());
        } else if (command instanceof KvCommand.Scan c) {
            return scan(t, c);
        } else if (command instanceof KvCommand.Put c) {
            return put(t, c.key(), c.value(), index);
        } else if (command instanceof KvCommand.PutIfAbsent c) {
            long version = t.version(c.key());
            return version != 0 ? new KvResult.ConditionFailed(0, new Condition.KeyAbsent(c.key()), version)
                    : put(t, c.key(), c.value(), index);
        } else if (command instanceof KvCommand.CompareAndSet c) {
            long version = t.version(c.key());
            return version != c.expectedVersion()
                    ? new KvResult.ConditionFailed(0, new Condition.VersionEquals(c.key(), c.expectedVersion()), version)
                    : put(t, c.key(), c.value(), index);
        } else if (command instanceof KvCommand.Delete c) {
            long version = t.version(c.key());
            if (c.expectedVersion() != null && version != c.expectedVersion()) {
                return new KvResult.ConditionFailed(0, new Condition.VersionEquals(c.key(), c.expectedVersion()),
                        version);
            }
            return delete(t, c.key(), index);
        } else if (command instanceof KvCommand.Increment c) {
            KvResult planned = planIncrement(t, c, index);
            return planned instanceof KvResult.Counter counter ? writeCounter(t, counter, index) : planned;
        } else if (command instanceof KvCommand.Batch c) {
            return batch(t, c, index);
        }
        return new KvResult.Rejected(KvResult.Reason.MALFORMED, "unknown command " + command);
    }

    private static KvResult get(KvTables t, String key) {
        KvTables.Entry e = t.get(key);
        // A copy: the tables keep this entry cached, and the caller may be application code.
        return e == null ? new KvResult.NotFound(key)
                : new KvResult.Value(key, e.value().clone(), e.version(), e.createIndex());
    }

    private static KvResult scan(KvTables t, KvCommand.Scan scan) {
        List<KvResult.Value> out = new ArrayList<>();
        String from = scan.after() != null && scan.after().compareTo(scan.prefix()) > 0 ? scan.after() : scan.prefix();
        Cursor<String, byte[]> cursor = t.cursor(from.isEmpty() ? null : from);
        while (cursor.hasNext()) {
            String key = cursor.next();
            if (key.equals(scan.after())) {
                continue; // the previous page's last key
            }
            if (!key.startsWith(scan.prefix())) {
                break; // keys with one prefix are contiguous in key order
            }
            if (out.size() == scan.limit()) {
                return new KvResult.ScanResult(out, true);
            }
            KvTables.Entry e = t.decode(key, cursor.getValue());
            out.add(new KvResult.Value(key, e.value(), e.version(), e.createIndex()));
        }
        return new KvResult.ScanResult(out, false);
    }

    static KvResult.Written put(KvTables t, String key, byte[] value, long index) {
        KvTables.Entry old = t.get(key);
        t.put(key, new KvTables.Entry(value, index, old == null ? index : old.createIndex()));
        return new KvResult.Written(key, index, old == null);
    }

    static KvResult.Deleted delete(KvTables t, String key, long index) {
        long version = t.version(key);
        if (version != 0) {
            t.remove(key);
        }
        return new KvResult.Deleted(key, version != 0, version, index);
    }

    /** The counter an increment would produce, or why it cannot; writes nothing. */
    private static KvResult planIncrement(KvTables t, KvCommand.Increment inc, long index) {
        KvTables.Entry e = t.get(inc.key());
        long current = 0;
        if (e != null) {
            String text = new String(e.value(), StandardCharsets.US_ASCII);
            try {
                current = Long.parseLong(text);
            } catch (NumberFormatException ex) {
                return new KvResult.Rejected(KvResult.Reason.NOT_A_COUNTER, "value of key '" + inc.key()
                        + "' is not a decimal number");
            }
        }
        try {
            return new KvResult.Counter(inc.key(), Math.addExact(current, inc.delta()), index);
        } catch (ArithmeticException ex) {
            return new KvResult.Rejected(KvResult.Reason.OVERFLOW, "incrementing key '" + inc.key() + "' ("
                    + current + ") by " + inc.delta() + " overflows");
        }
    }

    private static KvResult writeCounter(KvTables t, KvResult.Counter counter, long index) {
        put(t, counter.key(), Long.toString(counter.value()).getBytes(StandardCharsets.US_ASCII), index);
        return counter;
    }

    private static KvResult batch(KvTables t, KvCommand.Batch batch, long index) {
        List<KvResult> planned = new ArrayList<>(batch.operations().size());
        KvResult failure = plan(t, batch.conditions(), batch.operations(), index, planned);
        return failure != null ? failure : applyPlanned(t, batch.operations(), planned, index);
    }

    /**
     * Checks every condition and plans every increment of a batch (or a prepared transaction), writing
     * nothing: returns the first condition that fails or the first increment that cannot be done, or null
     * with {@code planned} holding, per operation, the {@link KvResult.Counter} of an increment (null for the others).
     */
    static KvResult plan(KvTables t, List<Condition> conditions, List<KvCommand.Mutation> operations, long index,
                         List<KvResult> planned) {
        for (int i = 0; i < conditions.size(); i++) {
            Condition c = conditions.get(i);
            long version = t.version(c.key());
            boolean holds = c instanceof Condition.KeyAbsent ? version == 0
                    : c instanceof Condition.KeyExists ? version != 0
                    : version == ((Condition.VersionEquals) c).version();
            if (!holds) {
                return new KvResult.ConditionFailed(i, c, version);
            }
        }
        // Keys are distinct within a batch, so the plan is exact, and a bad counter rejects the whole batch
        // before anything is written.
        for (KvCommand.Mutation m : operations) {
            if (m instanceof KvCommand.Increment inc) {
                KvResult r = planIncrement(t, inc, index);
                if (!(r instanceof KvResult.Counter)) {
                    return r;
                }
                planned.add(r);
            } else {
                planned.add(null);
            }
        }
        return null;
    }

    /** Writes what {@link #plan} accepted, every key at {@code index}. */
    static KvResult.BatchApplied applyPlanned(KvTables t, List<KvCommand.Mutation> operations, List<KvResult> planned,
                                              long index) {
        List<KvResult> results = new ArrayList<>(planned.size());
        for (int i = 0; i < planned.size(); i++) {
            KvCommand.Mutation m = operations.get(i);
            if (m instanceof KvCommand.Put p) {
                results.add(put(t, p.key(), p.value(), index));
            } else if (m instanceof KvCommand.Delete d) {
                results.add(delete(t, d.key(), index));
            } else {
                results.add(writeCounter(t, (KvResult.Counter) planned.get(i), index));
            }
        }
        return new KvResult.BatchApplied(index, results);
    }
}
