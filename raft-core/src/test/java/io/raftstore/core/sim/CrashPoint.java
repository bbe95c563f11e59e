package io.raftstore.core.sim;

/**
 * Where, inside the handling of one {@link io.raftstore.core.Ready}, a scheduled crash strikes. Each
 * point sits between two durable steps of the Ready checklist, so a crash there keeps exactly the steps
 * before it. The order of the constants is the order of the checklist.
 */
public enum CrashPoint {
    /** Nothing of the Ready was done. */
    BEFORE_PERSIST,
    /** A received snapshot was committed to the snapshot store, but neither restored nor the log reset. */
    AFTER_SNAPSHOT_COMMIT,
    /** A received snapshot (if any) is installed; the entries are not appended (the stores are separate). */
    AFTER_SNAPSHOT_INSTALL,
    /** Snapshot and entries are durable; the hard state is not. */
    AFTER_ENTRIES,
    /** Everything persisted, no message sent. */
    BEFORE_SEND,
    /** Half of the messages were sent. */
    MID_SEND,
    /** Messages sent, nothing applied. */
    BEFORE_APPLY,
    /** Applied and answered, but advance() was never called. */
    BEFORE_ADVANCE
}
