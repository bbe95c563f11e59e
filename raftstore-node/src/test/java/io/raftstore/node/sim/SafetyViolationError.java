package io.raftstore.node.sim;

/** A broken promise found while a run goes on (or at its end); the run stops and reports its seed. */
final class SafetyViolationError extends AssertionError {
    SafetyViolationError(String message) {
        super(message);
    }
}
