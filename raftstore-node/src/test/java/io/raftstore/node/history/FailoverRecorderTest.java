package io.raftstore.node.history;

import io.raftstore.core.LeaderChange;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FailoverRecorderTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final InMemoryFailoverHistory history = new InMemoryFailoverHistory(10);
    private final FailoverRecorder recorder = new FailoverRecorder(history,
            Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC), nanos::get);

    private void advanceMillis(long ms) {
        nanos.addAndGet(ms * 1_000_000);
    }

    @Test
    void startupCountsFromStart() {
        advanceMillis(400);
        recorder.observe(new LeaderChange(1, null, "n1", LeaderChange.Cause.STARTUP));
        recorder.leaderNow("n1");
        assertEquals(400, history.recent(1).get(0).leaderlessMillis());
    }

    @Test
    void aDeadLeaderCountsFromItsLastMessage() {
        recorder.observe(new LeaderChange(1, null, "n1", LeaderChange.Cause.STARTUP));
        recorder.leaderNow("n1");
        advanceMillis(100);
        recorder.heardFrom("n1");   // last heartbeat of n1, then it dies
        recorder.heardFrom("n3");   // messages from others do not count
        advanceMillis(180);
        recorder.leaderNow(null);   // election timeout: pre-candidate
        advanceMillis(40);
        recorder.observe(new LeaderChange(2, "n1", "n2", LeaderChange.Cause.ELECTION_TIMEOUT));
        recorder.leaderNow("n2");
        FailoverEvent e = history.recent(1).get(0);
        assertEquals(220, e.leaderlessMillis());
        assertEquals("n1", e.oldLeader());
        assertEquals("n2", e.newLeader());
        assertEquals(LeaderChange.Cause.ELECTION_TIMEOUT, e.cause());
    }

    @Test
    void aHandOverWithoutAGapCountsNothing() {
        recorder.observe(new LeaderChange(1, null, "n1", LeaderChange.Cause.STARTUP));
        recorder.leaderNow("n1");
        advanceMillis(50);
        recorder.heardFrom("n1");
        recorder.observe(new LeaderChange(2, "n1", "n2", LeaderChange.Cause.TRANSFER));
        recorder.leaderNow("n2");
        assertEquals(0, history.recent(1).get(0).leaderlessMillis());
    }
}
