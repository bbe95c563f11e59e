package io.raftstore.core.sim;

/**
 * Where, inside the handling of one {@link io.raftstore.core.Ready}, a scheduled crash strikes. Each
 * point sits between two durable steps of the Ready checklist, so a crash there keeps exactly the steps
 * before it. The order of the constants is the order of the checklist.
 */
public enum CrashPoint {
    /** Nothing of the Ready was done. */
    BEFORE_PERSIST,
    /** The hard state was saved, the entries were not (the two stores are separate). */
    AFTER_HARD_STATE,
    /** Hard state and entries are durable; snapshot chunks were not written. */
    AFTER_ENTRIES,
    /** A received snapshot was committed, but neither restored nor the log reset. */
    AFTER_SNAPSHOT_COMMIT,
    /** Everything persisted, no message sent. */
    BEFORE_SEND,
    /** Half of the messages were sent. */
    MID_SEND,
    /** Messages sent, nothing applied. */
    BEFORE_APPLY,
    /** Applied and answered, but advance() was never called. */
    BEFORE_ADVANCE
}
