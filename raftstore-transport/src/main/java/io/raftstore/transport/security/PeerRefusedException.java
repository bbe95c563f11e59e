package io.raftstore.transport.security;

/** Another node's credentials are not acceptable; the message says why, for both nodes' logs. */
public final class PeerRefusedException extends SecurityException {
    private static final long serialVersionUID = 1L;

    public PeerRefusedException(String message) {
        super(message);
    }
}
