package io.raftstore.ejb.view;

/**
 * How the state machine answered one write of the web module: a success, or why nothing was written.
 * A node that cannot answer at all throws {@link NodeRequestException} instead.
 */
public sealed interface WriteOutcome {

    /** The key now holds the value at {@code version} (the log index of the write). */
    record Written(long version, boolean created) implements WriteOutcome {
    }

    record Deleted(boolean existed) implements WriteOutcome {
    }

    /** The write's condition did not hold; {@code actualVersion} 0 means the key is absent. */
    record ConditionFailed(long actualVersion) implements WriteOutcome {
    }

    /** The state machine refused the request (a malformed or impossible operation). */
    record Rejected(String message) implements WriteOutcome {
    }

    /** The client session no longer knows this sequence number: the client must start a new session. */
    record SessionExpired(long clientId, long sequence) implements WriteOutcome {
    }
}
