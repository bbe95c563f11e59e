package io.raftstore.core;

/** A request that only the leader can take reached another node. Nothing was written. */
public class NotLeaderException extends RaftException {
    private static final long serialVersionUID = 1L;
    private final String leaderId;

    public NotLeaderException(String nodeId, String leaderId) {
        super("node " + nodeId + " is not the leader; "
                + (leaderId == null ? "no leader is known yet, retry shortly" : "send the request to " + leaderId));
        this.leaderId = leaderId;
    }

    /** The leader this node knows of, or null. */
    public String leaderId() {
        return leaderId;
    }
}
