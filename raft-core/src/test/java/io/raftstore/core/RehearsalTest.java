package io.raftstore.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

/** The rehearsal a node runs at start (to warm a JVM up for its first transfer) really gets through one. */
class RehearsalTest {

    @Test
    void aRehearsalElectsALeaderAndHandsLeadershipOverToAnother() {
        // It throws when no other node leads at the end.
        assertDoesNotThrow(Rehearsal::leadershipTransfer);
        assertDoesNotThrow(Rehearsal::leadershipTransfer, "and again: it shares no state between runs");
    }
}
