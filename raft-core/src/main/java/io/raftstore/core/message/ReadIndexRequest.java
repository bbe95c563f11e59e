package io.raftstore.core.message;

/** A follower asks the leader for a read index to serve a linearizable read locally. */
public record ReadIndexRequest(String from, String to, long term, long requestId) implements RaftMessage {
}
