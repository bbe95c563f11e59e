package io.raftstore.api.spi;

/** What a single {@link Operation} did. */
public sealed interface OperationResult {

    /** A put, put-if-absent or compare-and-set wrote the key at {@code version}. */
    record Written(long version) implements OperationResult {
    }

    /** A delete ran; {@code existed} tells whether there was anything to remove. */
    record Deleted(boolean existed) implements OperationResult {
    }

    /** An increment left the counter at {@code value}, written at {@code version}. */
    record Counted(long value, long version) implements OperationResult {
    }
}
