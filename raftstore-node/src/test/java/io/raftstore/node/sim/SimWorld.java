package io.raftstore.node.sim;

import io.raftstore.node.NodeClock;
import io.raftstore.storage.sim.SimFilePath;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Virtual time and the one queue of everything that happens in a run, in time order (ties in the order
 * they were scheduled), so a seed replays exactly. Also the run's trace: the latest lines are kept for a
 * failure's message, every line is printed when tracing.
 */
final class SimWorld {

    /** Events a run may take at most: a bound on a run that would otherwise never end. */
    private static final long MAX_EVENTS = 20_000_000;
    private static final int TRACE_TAIL = 400;

    private record Event(long at, long seq, Runnable action) {
    }

    final Random random;
    private final boolean printTrace;
    private final PriorityQueue<Event> queue =
            new PriorityQueue<>(Comparator.comparingLong(Event::at).thenComparingLong(Event::seq));
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private long seq;
    private long now;
    private long events;
    /** A digest of every trace line: two runs of one seed must agree on it (determinism). */
    private long traceDigest = 17;

    /** The nodes' clock: this world's virtual time. */
    final NodeClock clock = new NodeClock() {
        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public Clock wall() {
            return new Clock() {
                @Override
                public ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return Instant.EPOCH.plusNanos(now);
                }
            };
        }
    };

    SimWorld(long seed, boolean printTrace) {
        this.random = new Random(seed);
        this.printTrace = printTrace;
    }

    long now() {
        return now;
    }

    long millis() {
        return now / 1_000_000;
    }

    /** Runs {@code action} at {@code when} (now, if that has passed). */
    void at(long when, Runnable action) {
        queue.add(new Event(Math.max(when, now), seq++, action));
    }

    void afterMillis(double millis, Runnable action) {
        at(now + (long) (millis * 1_000_000), action);
    }

    /** A uniformly drawn number of milliseconds in [from, to). */
    double millisBetween(double from, double to) {
        return from + random.nextDouble() * (to - from);
    }

    /** Runs events in order until virtual time {@code until} (or none is left). */
    void runUntil(long until) {
        while (!queue.isEmpty() && queue.peek().at() <= until) {
            Event e = queue.poll();
            now = e.at();
            if (++events > MAX_EVENTS) {
                throw new SafetyViolationError("more than " + MAX_EVENTS + " events: a message or timer storm");
            }
            e.action().run();
        }
        now = Math.max(now, until);
    }

    void trace(String who, String what) {
        String line = String.format("%9.3f %-4s %s", now / 1e6, who, what);
        if (printTrace) {
            System.out.println(line);
        }
        traceDigest = traceDigest * 1_000_003 + SimFilePath.withoutDiskIds(line).hashCode();
        tail.addLast(line);
        if (tail.size() > TRACE_TAIL) {
            tail.removeFirst();
        }
    }

    long traceDigest() {
        return traceDigest;
    }

    /** The latest trace lines, for a failure's message. */
    String traceTail() {
        return String.join("\n", tail);
    }
}
