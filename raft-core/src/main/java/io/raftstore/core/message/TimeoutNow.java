package io.raftstore.core.message;

/** Leadership transfer: the leader tells an up-to-date follower to start an election at once. */
public record TimeoutNow(String from, String to, long term) implements RaftMessage {
}
