package io.raftstore.web.service.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LagClockTest {

    @Test
    void behindByTheAgeOfTheOldestUnappliedCommit() {
        LagClock clock = new LagClock();
        clock.observe(10, 1_000);
        clock.observe(15, 2_000);
        clock.observe(20, 3_000);
        assertEquals(0L, clock.millisBehind(20, 20, 3_500));
        assertEquals(1_500L, clock.millisBehind(12, 20, 3_500), "commit 15 was first seen at 2,000");
        assertEquals(500L, clock.millisBehind(15, 20, 3_500), "commit 20 was first seen at 3,000");
    }

    @Test
    void unknownWhenNoSampleIsNewerThanTheAppliedIndex() {
        LagClock clock = new LagClock();
        clock.observe(10, 1_000);
        assertNull(clock.millisBehind(10, 12, 2_000));
    }
}
