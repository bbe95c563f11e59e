package io.raftstore.kv;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The real outcome of a {@link KvCommand}, returned to the proposer (encoded by {@link KvCodec}).
 * Versions are log indexes: a key's version is the index of its last write, 0 meaning "absent".
 */
public sealed interface KvResult {

    /** A key and its current state. */
    record Value(String key, byte[] value, long version, long createIndex) implements KvResult {
        // Arrays compare by content, so equal commands and results are equal records.
        @Override
        public boolean equals(Object other) {
            return other instanceof Value o && o.key.equals(key) && o.version == version && o.createIndex == createIndex
                    && Arrays.equals(o.value, value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, version, createIndex) * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Value[" + key + ", " + version + ", " + createIndex + ", " + value.length + " bytes]";
        }
    }

    /** The key does not exist. */
    record NotFound(String key) implements KvResult {
    }

    /** A write took place at {@code version}; {@code created} when the key did not exist before. */
    record Written(String key, long version, boolean created) implements KvResult {
    }

    /**
     * A delete ran at log index {@code index}; {@code existed} tells whether there was anything to remove
     * and {@code previousVersion} its version (0 when absent).
     */
    record Deleted(String key, boolean existed, long previousVersion, long index) implements KvResult {
    }

    /** A counter's value after an increment, written at {@code version}. */
    record Counter(String key, long value, long version) implements KvResult {
    }

    /** Keys found by a scan, in key order; {@code more} when the limit cut the list short. */
    record ScanResult(List<Value> entries, boolean more) implements KvResult {
        public ScanResult {
            entries = List.copyOf(entries);
        }
    }

    /** Every operation of a batch was applied at {@code index}; one result per operation, in order. */
    record BatchApplied(long index, List<KvResult> results) implements KvResult {
        public BatchApplied {
            results = List.copyOf(results);
        }
    }

    /**
     * A condition did not hold and nothing was written. {@code conditionIndex} is the position of the
     * failing condition in a batch (0 for single-key commands), {@code condition} what was required and
     * {@code actualVersion} the key's version at that moment (0 when absent).
     */
    record ConditionFailed(int conditionIndex, Condition condition, long actualVersion) implements KvResult {
    }

    /** The command was invalid or cannot apply to the current value; nothing was written. */
    record Rejected(Reason reason, String message) implements KvResult {
    }

    /**
     * The command's client session no longer remembers this sequence number (an older request, or a
     * session evicted to bound their number); it was NOT applied now. The client should start a new
     * session and read before retrying.
     */
    record SessionExpired(long clientId, long sequence) implements KvResult {
    }

    /** A two-phase transaction is prepared (at log index {@code index}) and holds its keys. */
    record Prepared(String txId, long index) implements KvResult {
    }

    /** A prepared transaction was rolled back: its keys are released, nothing was written. */
    record PreparedReleased(String txId) implements KvResult {
    }

    /** No transaction of this id is prepared: never prepared, or already committed or rolled back. */
    record UnknownTransaction(String txId) implements KvResult {
    }

    /**
     * Nothing was written: {@code key} (now at {@code version}, 0 when absent) is held by the prepared
     * transaction {@code txId} until that one is committed or rolled back. Retry later.
     */
    record KeyHeld(String key, long version, String txId) implements KvResult {
    }

    /** The prepared transactions, in id order. */
    record PreparedList(List<PreparedTransaction.Summary> transactions) implements KvResult {
        public PreparedList {
            transactions = List.copyOf(transactions);
        }
    }

    /** Why a command was rejected. */
    enum Reason {
        /** A key, value, batch size or scan limit outside the limits. */
        INVALID_ARGUMENT,
        /** An increment of a value that is not a decimal number. */
        NOT_A_COUNTER,
        /** An increment that would overflow a signed 64-bit counter. */
        OVERFLOW,
        /** The entry's payload is not a command this version understands. */
        MALFORMED
    }
}
