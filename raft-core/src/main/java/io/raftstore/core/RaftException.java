package io.raftstore.core;

/** Base of the engine's own exceptions: a request the engine refused, with the reason in the message. */
public class RaftException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RaftException(String message) {
        super(message);
    }

    public RaftException(String message, Throwable cause) {
        super(message, cause);
    }
}
