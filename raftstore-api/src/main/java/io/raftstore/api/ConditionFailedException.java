package io.raftstore.api;

/**
 * A condition of a compare-and-set, conditional delete, put-if-absent or batch did not hold; nothing was
 * written. {@link #actualVersion()} is the key's version at that moment (0 when it was absent): read the
 * key again and decide whether to retry.
 */
public class ConditionFailedException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final long actualVersion;
    private final String heldBy;

    /** @param requirement what was required, e.g. "version 12" or "absent" */
    public ConditionFailedException(String key, String requirement, long actualVersion) {
        super("condition failed on key '" + key + "': required " + requirement + ", but the key "
                + (actualVersion == 0 ? "is absent" : "has version " + actualVersion)
                + "; nothing was written. Read the key again and retry with its current version if that is still right.");
        this.key = key;
        this.actualVersion = actualVersion;
        this.heldBy = null;
    }

    /**
     * The key is held by the prepared two-phase transaction {@code transactionId} (its condition may well
     * hold): no write may touch it until that transaction commits or rolls back.
     */
    public ConditionFailedException(String key, long actualVersion, String transactionId) {
        super("condition not checked on key '" + key + "': the key is held by the prepared two-phase transaction '"
                + transactionId + "' until it commits or rolls back; nothing was written. Retry shortly, reading the"
                + " key again first.");
        this.key = key;
        this.actualVersion = actualVersion;
        this.heldBy = transactionId;
    }

    public String key() {
        return key;
    }

    /** The prepared transaction that holds the key, or null when the condition itself did not hold. */
    public String heldBy() {
        return heldBy;
    }

    /** The key's version when the condition was checked; 0 when the key was absent. */
    public long actualVersion() {
        return actualVersion;
    }
}
