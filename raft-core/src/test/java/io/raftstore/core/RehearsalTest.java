package io.raftstore.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rehearsal a node runs at start (to warm a JVM up for its first transfer) really gets through one. */
class RehearsalTest {

    @Test
    void aRehearsalElectsReadsHandsOverRefusingWritesMeanwhileAndTheNewLeadersWriteReachesEveryNode() {
        Rehearsal.Result r = Rehearsal.leadershipTransfer();
        assertNotEquals(r.firstLeader(), r.nextLeader(), "leadership moved");
        assertTrue(r.writeRefused(), "a write during the transfer was refused");
        assertEquals(1, r.readsServed(), "the linearizable read was released");
        assertEquals(List.of(4L, 4L, 4L), r.appliedIndexes(),
                "every node applied both leaders' no-op and write, the new leader's last");
        assertTrue(r.batchesEncoded() > 0, "messages went through the codec, as between processes");
        assertEquals(r, Rehearsal.leadershipTransfer(), "and again, the same: it shares no state between runs");
    }
}
