package io.raftstore.transport.security;

/** This node's own keystore is missing, unreadable or wrong; the message says what to fix. */
public final class CredentialsException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public CredentialsException(String message) {
        super(message);
    }
}
