package io.raftstore.jca.session;

import io.raftstore.api.InvalidRequestException;
import io.raftstore.api.ValueTooLargeException;
import io.raftstore.api.spi.KeyRules;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.Precondition;
import io.raftstore.api.spi.StoreLimits;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks input at the call that made it, against the node's limits, so that a bad key or an oversized
 * value fails where the application wrote it (not at commit) and nothing is buffered or sent.
 */
final class InputRules {

    private final StoreLimits limits;

    InputRules(StoreLimits limits) {
        this.limits = limits;
    }

    StoreLimits limits() {
        return limits;
    }

    void key(String key) {
        KeyRules.validate(key);
    }

    void keyValue(String key, byte[] value) {
        KeyRules.validate(key);
        Objects.requireNonNull(value, "value");
        if (value.length > limits.maxValueBytes()) {
            throw new ValueTooLargeException(KeyRules.printable(key), value.length, limits.maxValueBytes());
        }
    }

    void prefix(String prefix, int limit) {
        if (!prefix.isEmpty()) {
            KeyRules.validate(prefix);
        }
        if (limit < 1 || limit > limits.maxScanLimit()) {
            throw new InvalidRequestException("scan limit " + limit + " is outside 1.." + limits.maxScanLimit()
                    + "; ask for fewer keys and continue from the last key returned.");
        }
    }

    void batch(List<Precondition> conditions, List<Operation> operations) {
        if (operations.isEmpty()) {
            throw new InvalidRequestException("a batch needs at least one write; nothing was written.");
        }
        size(conditions.size() + operations.size());
        conditions.forEach(c -> key(c.key()));
        Set<String> written = new HashSet<>();
        for (Operation op : operations) {
            if (!op.batchable()) {
                throw new InvalidRequestException(op.getClass().getSimpleName() + " cannot be part of a batch;"
                        + " nothing was written. Use put, delete or increment, and state conditions with require...().");
            }
            if (op instanceof Operation.Put p) {
                keyValue(p.key(), p.value());
            } else {
                key(op.key());
            }
            if (!written.add(op.key())) {
                throw new InvalidRequestException("a batch writes key '" + KeyRules.printable(op.key())
                        + "' more than once; nothing was written. Write each key once per batch.");
            }
        }
    }

    void size(int conditionsAndWrites) {
        if (conditionsAndWrites > limits.maxBatchSize()) {
            throw new InvalidRequestException(conditionsAndWrites + " conditions and writes exceed the limit of "
                    + limits.maxBatchSize() + " per batch or transaction; nothing was written. Split the work"
                    + " into smaller transactions.");
        }
    }
}
