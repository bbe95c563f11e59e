package io.raftstore.ejb.view;

/**
 * The node could not serve a request: {@link #unavailable()} when no leader or quorum answered within the
 * request timeout (retry later; a write may or may not have taken effect), else the cluster refused it
 * (for example a membership change it does not allow), with the reason in the message.
 */
public class NodeRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean unavailable;
    private final String leaderId;

    public NodeRequestException(boolean unavailable, String leaderId, String message, Throwable cause) {
        super(message, cause);
        this.unavailable = unavailable;
        this.leaderId = leaderId;
    }

    public boolean unavailable() {
        return unavailable;
    }

    /** The leader this node knows, or null. */
    public String leaderId() {
        return leaderId;
    }
}
