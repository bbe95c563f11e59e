package io.raftstore.kv;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A command of the key-value state machine. Reads ({@link Get}, {@link Scan}) may go through the log for
 * linearizable results or be answered locally by {@link KvStateMachine#read}; everything else is a write
 * that is proposed to the Raft log and applied on every node.
 *
 * <p>Keys are strings of 1–1024 bytes of UTF-8 without control characters; values are opaque bytes up to
 * a configurable limit (see {@link KvLimits}). Each command is validated before anything is written; an
 * invalid one yields {@link KvResult.Rejected} and changes nothing.
 */
public sealed interface KvCommand {

    /** Reads one key. Result: {@link KvResult.Value} or {@link KvResult.NotFound}. */
    // Arrays compare by content, so that equal writes (and the results that carry them) are equal records.
    private static boolean sameWrite(String key, byte[] value, String otherKey, byte[] otherValue) {
        return key.equals(otherKey) && Arrays.equals(value, otherValue);
    }

    private static int writeHash(String key, byte[] value) {
        return Objects.hash(key) * 31 + Arrays.hashCode(value);
    }

    record Get(String key) implements KvCommand {
        public Get {
            Objects.requireNonNull(key, "key");
        }
    }

    /** Writes a value unconditionally. Result: {@link KvResult.Written}. */
    record Put(String key, byte[] value) implements KvCommand, Mutation {
        @Override
        public boolean equals(Object other) {
            return other instanceof Put o && sameWrite(key, value, o.key, o.value);
        }

        @Override
        public int hashCode() {
            return writeHash(key, value);
        }

        @Override
        public String toString() {
            return "Put[" + key + ", " + value.length + " bytes]";
        }

        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * Writes only when the key does not exist. Result: {@link KvResult.Written} (created) or
     * {@link KvResult.ConditionFailed} with the current version.
     */
    record PutIfAbsent(String key, byte[] value) implements KvCommand {
        @Override
        public boolean equals(Object other) {
            return other instanceof PutIfAbsent o && sameWrite(key, value, o.key, o.value);
        }

        @Override
        public int hashCode() {
            return writeHash(key, value);
        }

        @Override
        public String toString() {
            return "PutIfAbsent[" + key + ", " + value.length + " bytes]";
        }

        public PutIfAbsent {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * Writes only when the key's current version equals {@code expectedVersion}; version 0 means "the key
     * is absent". Result: {@link KvResult.Written} or {@link KvResult.ConditionFailed}.
     */
    record CompareAndSet(String key, long expectedVersion, byte[] value) implements KvCommand {
        // Arrays compare by content, so equal commands and results are equal records.
        @Override
        public boolean equals(Object other) {
            return other instanceof CompareAndSet o && o.key.equals(key) && o.expectedVersion == expectedVersion
                    && Arrays.equals(o.value, value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, expectedVersion) * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "CompareAndSet[" + key + ", " + expectedVersion + ", " + value.length + " bytes]";
        }

        public CompareAndSet {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * Removes a key; when {@code expectedVersion} is not null only if the current version equals it.
     * Result: {@link KvResult.Deleted} or {@link KvResult.ConditionFailed}.
     */
    record Delete(String key, Long expectedVersion) implements KvCommand, Mutation {
        public Delete {
            Objects.requireNonNull(key, "key");
        }

        public static Delete of(String key) {
            return new Delete(key, null);
        }

        public static Delete ifVersion(String key, long version) {
            return new Delete(key, version);
        }
    }

    /**
     * Adds {@code delta} to a counter stored as a decimal ASCII number (an absent key counts as 0).
     * Result: {@link KvResult.Counter}, or {@link KvResult.Rejected} when the value is not a number or the
     * sum overflows.
     */
    record Increment(String key, long delta) implements KvCommand, Mutation {
        public Increment {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * Lists up to {@code limit} keys starting with {@code prefix} (empty prefix: all keys), in key order, after
     * {@code after} when it is not null (the last key of the previous page: pages follow each other without
     * gaps or repeats, whatever was written in between). Result: {@link KvResult.ScanResult}.
     */
    record Scan(String prefix, String after, int limit) implements KvCommand {
        public Scan {
            Objects.requireNonNull(prefix, "prefix");
        }

        /** From the first key with the prefix. */
        public Scan(String prefix, int limit) {
            this(prefix, null, limit);
        }
    }

    /**
     * Checks every condition, then applies every operation, all at one log index: either everything is
     * applied or nothing (the first failing condition is reported). Result:
     * {@link KvResult.BatchApplied} or {@link KvResult.ConditionFailed}.
     */
    record Batch(List<Condition> conditions, List<Mutation> operations) implements KvCommand {
        public Batch {
            conditions = List.copyOf(conditions);
            operations = List.copyOf(operations);
        }
    }

    /**
     * The first phase of a two-phase transaction: checks the conditions as a {@link Batch} does and that no
     * key it reads or writes is held by another prepared transaction, then records the transaction (its
     * writes, increments resolved to puts) and holds every one of its keys until {@link CommitPrepared} or
     * {@link RollbackPrepared}. Result: {@link KvResult.Prepared} (also when {@code txId} is already
     * prepared: a retried prepare), {@link KvResult.ConditionFailed}, {@link KvResult.KeyHeld} or
     * {@link KvResult.Rejected}.
     */
    record Prepare(String txId, List<Condition> conditions, List<Mutation> operations) implements KvCommand {
        public Prepare {
            Objects.requireNonNull(txId, "txId");
            conditions = List.copyOf(conditions);
            operations = List.copyOf(operations);
        }
    }

    /**
     * Applies a prepared transaction's writes at this log index, as a {@link Batch} would, and releases its
     * keys. Result: {@link KvResult.BatchApplied} or {@link KvResult.UnknownTransaction} (never prepared, or
     * already committed or rolled back: a repeated commit changes nothing).
     */
    record CommitPrepared(String txId) implements KvCommand {
        public CommitPrepared {
            Objects.requireNonNull(txId, "txId");
        }
    }

    /**
     * Releases a prepared transaction's keys without writing. Result: {@link KvResult.PreparedReleased} or
     * {@link KvResult.UnknownTransaction}.
     */
    record RollbackPrepared(String txId) implements KvCommand {
        public RollbackPrepared {
            Objects.requireNonNull(txId, "txId");
        }
    }

    /** Lists the prepared transactions, in id order (a read). Result: {@link KvResult.PreparedList}. */
    record ListPrepared() implements KvCommand {
    }

    /** The writes allowed inside a {@link Batch}. A conditional delete belongs in the batch's conditions. */
    sealed interface Mutation permits Put, Delete, Increment {
        String key();
    }
}
