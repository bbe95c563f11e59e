package io.raftstore.core.sim;

/** A Raft safety or liveness property failed in the simulation; the message says which and where. */
public final class SafetyViolation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SafetyViolation(String message) {
        super(message);
    }
}
