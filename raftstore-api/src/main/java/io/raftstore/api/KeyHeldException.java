package io.raftstore.api;

/**
 * A plain write (put, delete, increment) found its key held by a prepared two-phase transaction: between
 * the prepare and the commit of an XA transaction every key it read or wrote is held, and nothing else may
 * write it. Nothing was written. It is a {@link StoreUnavailableException} that certainly did not take
 * effect, so the adapter already retried it until its request timeout: a key stays held for as long as its
 * transaction manager takes to commit (usually milliseconds) — or, when that manager never comes back, until
 * an operator resolves the transaction (docs/jca.md, "Prepared transactions nobody resolves").
 *
 * <p>Conditional and transactional writes report a held key as a conflict instead:
 * {@link ConditionFailedException#heldBy()}, {@link TransactionConflictException}.
 */
public class KeyHeldException extends StoreUnavailableException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String transactionId;

    public KeyHeldException(String key, String transactionId, long retryAfterMillis) {
        super("key '" + key + "' is held by the prepared two-phase transaction '" + transactionId
                + "' until it commits or rolls back", retryAfterMillis, false);
        this.key = key;
        this.transactionId = transactionId;
    }

    public String key() {
        return key;
    }

    /** The prepared transaction holding the key. */
    public String transactionId() {
        return transactionId;
    }
}
