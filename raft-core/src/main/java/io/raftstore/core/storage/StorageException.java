package io.raftstore.core.storage;

/** Storage failed or found damaged data; the message names what and where, and what an operator can do. */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
