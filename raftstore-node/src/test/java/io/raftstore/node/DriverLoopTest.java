package io.raftstore.node;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The loop's mechanics on a clock the test moves: ticks on time, and a pause told before anything counts on it. */
class DriverLoopTest {

    private long now;
    private final List<String> calls = new ArrayList<>();
    private final DriverLoop loop = new DriverLoop("n1");

    private void open() {
        loop.drive();
        loop.open(new NodeClock() {
            @Override
            public long nanoTime() {
                return now;
            }

            @Override
            public Clock wall() {
                return Clock.systemUTC();
            }
        }, 10, new DriverLoop.Work() {
            @Override
            public void tick() {
                calls.add("tick");
            }

            @Override
            public void stalled() {
                calls.add("stalled");
            }

            @Override
            public void process(boolean ticked) {
            }

            @Override
            public void stopped(Throwable fatal) {
            }
        });
    }

    private void at(long millis) {
        now = TimeUnit.MILLISECONDS.toNanos(millis);
        loop.runTurn();
    }

    @Test
    void aLoopLateByLessThanATickCatchesUpWithoutReportingAStall() {
        open();
        at(5);
        assertEquals(List.of(), calls);
        at(10);
        at(29); // one tick late by 9 ms: delivered now, and the next one stays on its schedule
        at(30);
        assertEquals(List.of("tick", "tick", "tick"), calls);
    }

    @Test
    void aPauseIsReportedBeforeTheQueuedWorkRunsAndTheNextTickIsOneTickAfterTheResume() {
        open();
        at(10);
        calls.clear();
        loop.execute(() -> calls.add("a lease read"));
        at(2_010); // two seconds paused (SIGSTOP, GC): 199 ticks missed
        assertEquals(List.of("stalled", "a lease read", "tick"), calls,
                "the engine hears of the lost time before a queued read could count on its ticks");
        calls.clear();
        loop.reportStall();
        at(2_020);
        assertEquals(List.of("tick"), calls, "back on time: no further stall, no burst of catch-up ticks");
    }

    @Test
    void aPauseInTheMiddleOfATurnIsReportedWhenAskedRightBeforeADecision() {
        open();
        at(10);
        calls.clear();
        loop.execute(() -> now += TimeUnit.MILLISECONDS.toNanos(500)); // a GC pause during the turn's tasks
        loop.execute(() -> {
            loop.reportStall(); // what the router does before the engine decides a LEASE read
            calls.add("a lease read");
        });
        at(15);
        assertEquals(List.of("stalled", "a lease read", "tick"), calls);
    }
}
