package io.raftstore.core.sim;

/**
 * Bugs the simulation can plant in its own driver, to prove that its checkers notice them (see
 * {@code SimulationSelfTest}). Always {@link #NONE} outside that test.
 */
enum DriverBug {
    /** No bug. */
    NONE,
    /** Reads are served as STALE (whatever the node has applied) but recorded as linearizable. */
    STALE_READS,
    /** The driver appends only entries past its last index, keeping a conflicting suffix it should delete. */
    KEEP_CONFLICTING_SUFFIX
}
