package io.raftstore.core;

/** What a log entry carries. */
public enum EntryType {
    /** A client command for the state machine. */
    COMMAND,
    /** The empty entry a new leader appends so that it can commit entries of its own term. */
    NOOP,
    /** A new cluster membership, encoded by {@link Membership#toBytes()}; takes effect when appended. */
    MEMBERSHIP
}
