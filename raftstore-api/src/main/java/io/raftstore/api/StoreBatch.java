package io.raftstore.api;

import java.nio.charset.StandardCharsets;

/**
 * An atomic batch under construction: {@link #commit()} checks every condition against the current state
 * and, only if all hold, applies every write at one position of the log. Each key may be written once per
 * batch. Inside a transaction the batch joins the transaction instead (its conditions are checked against
 * what the transaction sees, its writes are buffered).
 */
public interface StoreBatch {

    /** Requires the key to exist with exactly this version. */
    StoreBatch requireVersion(String key, long version);

    /** Requires the key to be absent. */
    StoreBatch requireAbsent(String key);

    /** Requires the key to exist, whatever its version. */
    StoreBatch requireExists(String key);

    StoreBatch put(String key, byte[] value);

    default StoreBatch put(String key, String value) {
        return put(key, value.getBytes(StandardCharsets.UTF_8));
    }

    StoreBatch delete(String key);

    /** Adds {@code delta} to the decimal counter stored under the key (absent counts as 0). */
    StoreBatch increment(String key, long delta);

    /**
     * Applies the batch; returns the version every written key now has ({@link StoreConnection#PENDING}
     * inside a transaction).
     *
     * @throws ConditionFailedException naming the first condition that did not hold; nothing was written
     */
    long commit();
}
