package io.raftstore.kv;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Size limits of the key-value store and the rules that give a command its meaning. The node that takes a
 * write calls {@link #validate} with its own limits before proposing it. Nodes may be configured with
 * different limits, so the state machine applies with {@link #AT_APPLY} alone: an entry in the log has the
 * same effect on every replica, and a malformed one is rejected everywhere alike.
 *
 * @param maxValueBytes largest value, 1 MiB by default
 * @param maxBatchOps   most conditions plus operations in one batch, 1,000 by default
 * @param maxScanLimit  most keys one scan returns, 10,000 by default
 */
public record KvLimits(int maxValueBytes, int maxBatchOps, int maxScanLimit) {

    public static final int MAX_KEY_BYTES = 1024;
    public static final KvLimits DEFAULT = new KvLimits(1 << 20, 1000, 10_000);
    /**
     * What every replica checks when it applies an entry: key syntax, batch structure and versions, never a
     * size. A size limit is a node's own configuration; re-checking it at apply time made replicas of
     * differently configured nodes diverge on an entry the proposing node had accepted.
     */
    public static final KvLimits AT_APPLY = new KvLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

    public KvLimits {
        if (maxValueBytes < 0 || maxBatchOps < 1 || maxScanLimit < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxValueBytes + ", " + maxBatchOps
                    + ", " + maxScanLimit);
        }
    }

    /** @throws KvValidationException naming the first limit the command breaks */
    public void validate(KvCommand command) {
        if (command instanceof KvCommand.Get c) {
            validateKey(c.key());
        } else if (command instanceof KvCommand.Put c) {
            validateKeyValue(c.key(), c.value());
        } else if (command instanceof KvCommand.PutIfAbsent c) {
            validateKeyValue(c.key(), c.value());
        } else if (command instanceof KvCommand.CompareAndSet c) {
            validateKeyValue(c.key(), c.value());
            requireVersion(c.expectedVersion());
        } else if (command instanceof KvCommand.Delete c) {
            validateKey(c.key());
            if (c.expectedVersion() != null) {
                requireVersion(c.expectedVersion());
            }
        } else if (command instanceof KvCommand.Increment c) {
            validateKey(c.key());
        } else if (command instanceof KvCommand.Scan c) {
            validateScan(c);
        } else if (command instanceof KvCommand.Batch c) {
            validateBatch(c.conditions(), c.operations());
        } else if (command instanceof KvCommand.Prepare c) {
            validateTransactionId(c.txId());
            validateBatch(c.conditions(), c.operations());
        } else if (command instanceof KvCommand.CommitPrepared c) {
            validateTransactionId(c.txId());
        } else if (command instanceof KvCommand.RollbackPrepared c) {
            validateTransactionId(c.txId());
        } else if (!(command instanceof KvCommand.ListPrepared)) {
            throw new KvValidationException("unknown command " + command);
        }
    }

    private void validateScan(KvCommand.Scan scan) {
        if (!scan.prefix().isEmpty()) {
            validateKey(scan.prefix());
        }
        if (scan.limit() < 1 || scan.limit() > maxScanLimit) {
            throw new KvValidationException("scan limit " + scan.limit() + " is outside 1.." + maxScanLimit);
        }
    }

    /** A transaction id follows the rules of a key: it is one in the state database. */
    private static void validateTransactionId(String txId) {
        try {
            validateKey(txId);
        } catch (KvValidationException e) {
            throw new KvValidationException("transaction id: " + e.getMessage());
        }
    }

    private void validateBatch(List<Condition> conditions, List<KvCommand.Mutation> operations) {
        int size = conditions.size() + operations.size();
        if (size > maxBatchOps) {
            throw new KvValidationException("batch has " + size + " conditions and operations, more than the limit of "
                    + maxBatchOps);
        }
        if (operations.isEmpty()) {
            throw new KvValidationException("batch has no operations");
        }
        for (Condition c : conditions) {
            validateKey(c.key());
            if (c instanceof Condition.VersionEquals v) {
                requireVersion(v.version());
            }
        }
        Set<String> written = new HashSet<>();
        for (KvCommand.Mutation m : operations) {
            if (m instanceof KvCommand.Delete d && d.expectedVersion() != null) {
                throw new KvValidationException("conditional delete of '" + d.key()
                        + "' inside a batch: state the version in the batch's conditions instead");
            }
            validate((KvCommand) m);
            // Two writes of one key in one batch would make "version = batch index" ambiguous to readers.
            if (!written.add(m.key())) {
                throw new KvValidationException("batch writes key '" + m.key() + "' more than once");
            }
        }
    }

    private void validateKeyValue(String key, byte[] value) {
        validateKey(key);
        if (value.length > maxValueBytes) {
            throw new KvValidationException("value of " + value.length + " bytes for key '" + abbreviate(key)
                    + "' exceeds the limit of " + maxValueBytes + " bytes");
        }
    }

    private static void requireVersion(long version) {
        if (version < 0) {
            throw new KvValidationException("expected version " + version + " is negative");
        }
    }

    /** @throws KvValidationException when the key is empty, too long or holds a control character */
    public static void validateKey(String key) {
        if (key.isEmpty()) {
            throw new KvValidationException("key is empty");
        }
        int bytes = 0; // its UTF-8 length, counted here rather than encoded: every write checks its key
        for (int i = 0; i < key.length(); i++) {
            char ch = key.charAt(i);
            if (Character.isISOControl(ch)) {
                throw new KvValidationException("key '" + abbreviate(key) + "' holds control character U+"
                        + String.format("%04X", (int) ch) + " at position " + i);
            }
            if (Character.isHighSurrogate(ch) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                i++;
                bytes += 4;
            } else if (Character.isSurrogate(ch)) {
                // A lone surrogate has no UTF-8 encoding: it would be stored as '?' and silently change the key.
                throw new KvValidationException("key '" + abbreviate(key) + "' is not valid Unicode at position " + i);
            } else {
                bytes += ch < 0x80 ? 1 : ch < 0x800 ? 2 : 3;
            }
        }
        if (bytes > MAX_KEY_BYTES) {
            throw new KvValidationException("key of " + bytes + " UTF-8 bytes exceeds the limit of " + MAX_KEY_BYTES);
        }
    }

    private static String abbreviate(String key) {
        return key.length() <= 40 ? key.replaceAll("\\p{Cntrl}", "?") : key.substring(0, 40) + "...";
    }
}
