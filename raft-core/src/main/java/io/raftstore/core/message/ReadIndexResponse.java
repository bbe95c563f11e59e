package io.raftstore.core.message;

/**
 * The leader's answer to {@link ReadIndexRequest}: the follower may serve the read once it has applied
 * {@code readIndex}. {@code readIndex} is -1 when the leader could not confirm its leadership.
 */
public record ReadIndexResponse(String from, String to, long term, long requestId, long readIndex)
        implements RaftMessage {
}
