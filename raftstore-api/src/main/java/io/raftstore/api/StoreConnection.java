package io.raftstore.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * One application's handle on the replicated store. Not thread-safe: use it from one thread and close it
 * (try-with-resources) when the unit of work ends.
 *
 * <h2>Transactions</h2>
 * Outside a transaction every call is its own atomic operation, replicated before it returns. Inside a JTA
 * transaction (container-managed or {@code @Transactional}) writes are buffered and nothing is visible to
 * others until commit; reads see the transaction's own writes; the version of every key the transaction read
 * becomes a condition of its commit, and commit proposes all writes as ONE atomic batch. If another writer
 * changed a key this transaction read, the commit fails with {@link TransactionConflictException} and
 * nothing is written. Inside a transaction writes return {@link #PENDING} because the version is only known
 * at commit.
 *
 * <h2>Keys and values</h2>
 * Keys are 1–1024 bytes of UTF-8 without control characters ({@link InvalidKeyException} otherwise); values
 * are bytes up to the store's configured limit, 1 MiB by default ({@link ValueTooLargeException}).
 * Invalid input is rejected before anything is written, also inside a transaction.
 */
public interface StoreConnection extends AutoCloseable {

    /** The version of a value written by the current transaction, known only once it commits. */
    long PENDING = -1;

    /** The key's value and version at the connection's default read consistency, or empty when absent. */
    Optional<Versioned> get(String key);

    /** The key's value and version at the given consistency, or empty when absent. */
    Optional<Versioned> get(String key, ReadConsistency consistency);

    /** The key's value as UTF-8 text, or empty when absent. */
    default Optional<String> getString(String key) {
        return get(key).map(Versioned::asString);
    }

    /** Writes the value whatever the key holds; returns the new version. */
    long put(String key, byte[] value);

    /** {@link #put(String, byte[])} with the text encoded as UTF-8. */
    default long put(String key, String value) {
        return put(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Creates the key; returns the new version.
     *
     * @throws ConditionFailedException when the key already exists (nothing is written)
     */
    long putIfAbsent(String key, byte[] value);

    /** {@link #putIfAbsent(String, byte[])} with the text encoded as UTF-8. */
    default long putIfAbsent(String key, String value) {
        return putIfAbsent(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes only if the key's current version is {@code expectedVersion}; returns the new version.
     *
     * @throws ConditionFailedException when the version differs or the key is absent (nothing is written)
     */
    long compareAndSet(String key, long expectedVersion, byte[] value);

    /** {@link #compareAndSet(String, long, byte[])} with the text encoded as UTF-8. */
    default long compareAndSet(String key, long expectedVersion, String value) {
        return compareAndSet(key, expectedVersion, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Removes the key; returns whether it existed. */
    boolean delete(String key);

    /**
     * Removes the key only if its current version is {@code expectedVersion}.
     *
     * @throws ConditionFailedException when the version differs or the key is absent (nothing is removed)
     */
    void delete(String key, long expectedVersion);

    /**
     * Adds {@code delta} to a counter stored as a decimal number (an absent key counts as 0); returns the
     * counter's new value.
     *
     * @throws NotACounterException when the value is not a decimal number or the sum would overflow
     */
    long increment(String key, long delta);

    /** Up to {@code limit} keys starting with {@code prefix}, in key order, at the default read consistency. */
    List<Versioned> scan(String prefix, int limit);

    /**
     * Up to {@code limit} keys starting with {@code prefix} (empty: every key), in key order. Outside a
     * transaction the result is one consistent snapshot of the store.
     */
    List<Versioned> scan(String prefix, int limit, ReadConsistency consistency);

    /** Starts an atomic batch: conditions and writes that {@link StoreBatch#commit()} applies all or none of. */
    StoreBatch batch();

    /** True while this connection takes part in a transaction (its writes are buffered). */
    boolean inTransaction();

    /** Returns the connection to the pool. A transaction it took part in is committed or rolled back by its owner. */
    @Override
    void close();
}
