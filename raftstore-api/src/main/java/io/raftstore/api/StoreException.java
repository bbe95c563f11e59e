package io.raftstore.api;

/**
 * Base of every failure the store reports. Unchecked, so a container-managed transaction that lets it
 * escape rolls back. Subclasses say what happened; messages also say what to do.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
