package io.raftstore.api;

/**
 * The store could not complete the request in time: no leader is known, no quorum answered, or the node
 * of this server is not running. {@link #retryAfterMillis()} is a sensible wait before trying again.
 *
 * <p>When {@link #mayHaveTakenEffect()} is true the write was proposed but its outcome is unknown: it may
 * still be applied later. Read the keys before retrying a write that is not idempotent.
 */
public class StoreUnavailableException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final long retryAfterMillis;
    private final boolean mayHaveTakenEffect;

    public StoreUnavailableException(String problem, long retryAfterMillis, boolean mayHaveTakenEffect) {
        this(problem, retryAfterMillis, mayHaveTakenEffect, null);
    }

    public StoreUnavailableException(String problem, long retryAfterMillis, boolean mayHaveTakenEffect, Throwable cause) {
        super("store unavailable: " + problem + (mayHaveTakenEffect
                ? "; the write may or may not take effect, read before retrying it"
                : "; nothing was written") + ". Retry after about " + retryAfterMillis + " ms.", cause);
        this.retryAfterMillis = retryAfterMillis;
        this.mayHaveTakenEffect = mayHaveTakenEffect;
    }

    /** How long to wait before retrying. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }

    /** True when a write was proposed and might still be applied. */
    public boolean mayHaveTakenEffect() {
        return mayHaveTakenEffect;
    }
}
