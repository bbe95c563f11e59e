package io.raftstore.api;

/**
 * A transaction could not commit because another writer changed a key it had read (or created one it saw
 * absent) after it read it. Nothing of the transaction was written and it is rolled back; run the whole
 * unit of work again, reading the keys afresh.
 */
public class TransactionConflictException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public TransactionConflictException(String key, long readVersion, long currentVersion) {
        super("transaction conflict on key '" + key + "': the transaction read it "
                + (readVersion == 0 ? "absent" : "at version " + readVersion) + " but it is now "
                + (currentVersion == 0 ? "absent" : "at version " + currentVersion)
                + "; nothing was written and the transaction is rolled back. Run the transaction again.");
        this.key = key;
    }

    /**
     * A key the transaction read or wrote is held by another prepared two-phase transaction
     * ({@code heldBy}), which may change it at its commit.
     */
    public TransactionConflictException(String key, String heldBy) {
        super("transaction conflict on key '" + key + "': it is held by the prepared two-phase transaction '" + heldBy
                + "', which is committing; nothing was written and the transaction is rolled back. Run the"
                + " transaction again.");
        this.key = key;
    }

    /** The key another writer changed. */
    public String key() {
        return key;
    }
}
