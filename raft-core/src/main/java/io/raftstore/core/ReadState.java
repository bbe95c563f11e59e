package io.raftstore.core;

/**
 * A read that may now be served from the local state machine: it has applied at least {@code readIndex}.
 */
public record ReadState(long requestId, long readIndex) {
}
