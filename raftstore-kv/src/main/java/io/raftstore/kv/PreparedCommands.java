package io.raftstore.kv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * Two-phase transactions in the state machine: {@link KvCommand.Prepare} checks and records, then holds
 * every key the transaction read or wrote; {@link KvCommand.CommitPrepared} writes what was recorded and
 * {@link KvCommand.RollbackPrepared} only releases. While a key is held every other write that touches it
 * is refused with {@link KvResult.KeyHeld} ({@link #held}); reads still see the committed value. Everything
 * here depends on the tables and the entry alone: a prepared transaction is held until a command in the
 * log releases it, never by a clock (an operator releases an abandoned one through the admin API).
 */
final class PreparedCommands {

    private PreparedCommands() {
    }

    static KvResult execute(KvTables t, KvCommand command, long index) {
        PreparedTransactions prepared = new PreparedTransactions(t);
        if (command instanceof KvCommand.Prepare p) {
            return prepare(t, prepared, p, index);
        }
        if (command instanceof KvCommand.ListPrepared) {
            return new KvResult.PreparedList(prepared.list());
        }
        String txId = command instanceof KvCommand.CommitPrepared c ? c.txId() : ((KvCommand.RollbackPrepared) command).txId();
        PreparedTransaction tx = prepared.find(txId);
        if (tx == null) {
            return new KvResult.UnknownTransaction(txId);
        }
        prepared.release(tx);
        if (command instanceof KvCommand.RollbackPrepared) {
            return new KvResult.PreparedReleased(txId);
        }
        // Increments were resolved to puts at prepare: nothing is left to plan.
        return CommandExecutor.applyPlanned(t, tx.writes(), Collections.nCopies(tx.writes().size(), null), index);
    }

    /** {@link KvResult.KeyHeld} for the first key of a write held by a prepared transaction, else null. */
    static KvResult held(KvTables t, KvCommand command) {
        if (CommandExecutor.isRead(command) || t.held.isEmpty()) {
            return null;
        }
        PreparedTransactions prepared = new PreparedTransactions(t);
        for (String key : keys(command)) {
            String holder = prepared.holder(key);
            if (holder != null) {
                return new KvResult.KeyHeld(key, t.version(key), holder);
            }
        }
        return null;
    }

    private static KvResult prepare(KvTables t, PreparedTransactions prepared, KvCommand.Prepare p, long index) {
        PreparedTransaction existing = prepared.find(p.txId());
        if (existing != null) {
            return new KvResult.Prepared(p.txId(), existing.index()); // a retried prepare
        }
        TreeSet<String> keys = new TreeSet<>();
        p.conditions().forEach(c -> keys.add(c.key()));
        p.operations().forEach(m -> keys.add(m.key()));
        for (String key : keys) {
            String holder = prepared.holder(key);
            if (holder != null) {
                return new KvResult.KeyHeld(key, t.version(key), holder);
            }
        }
        List<KvResult> planned = new ArrayList<>(p.operations().size());
        KvResult failure = CommandExecutor.plan(t, p.conditions(), p.operations(), index, planned);
        if (failure != null) {
            return failure;
        }
        List<KvCommand.Mutation> writes = new ArrayList<>(planned.size());
        for (int i = 0; i < planned.size(); i++) {
            KvCommand.Mutation m = p.operations().get(i);
            writes.add(planned.get(i) instanceof KvResult.Counter c
                    ? new KvCommand.Put(c.key(), Long.toString(c.value()).getBytes(StandardCharsets.US_ASCII)) : m);
        }
        prepared.put(new PreparedTransaction(p.txId(), index, List.copyOf(keys), writes));
        return new KvResult.Prepared(p.txId(), index);
    }

    private static List<String> keys(KvCommand command) {
        if (command instanceof KvCommand.Batch b) {
            List<String> keys = new ArrayList<>();
            b.conditions().forEach(c -> keys.add(c.key()));
            b.operations().forEach(m -> keys.add(m.key()));
            return keys;
        }
        if (command instanceof KvCommand.Put c) {
            return List.of(c.key());
        } else if (command instanceof KvCommand.PutIfAbsent c) {
            return List.of(c.key());
        } else if (command instanceof KvCommand.CompareAndSet c) {
            return List.of(c.key());
        } else if (command instanceof KvCommand.Delete c) {
            return List.of(c.key());
        } else if (command instanceof KvCommand.Increment c) {
            return List.of(c.key());
        }
        return List.of();
    }
}
