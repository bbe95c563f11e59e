package io.raftstore.api;

/**
 * The request itself is wrong (bad key, value too large, batch or scan too big, not a counter); nothing was
 * written, and retrying the same request will fail again.
 */
public class InvalidRequestException extends StoreException {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }
}
