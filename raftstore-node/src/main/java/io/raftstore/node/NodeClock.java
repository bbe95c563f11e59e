package io.raftstore.node;

import java.time.Clock;

/**
 * Where a node reads the time: the system's clocks in production, a virtual clock in the whole-node
 * simulation (so that a seed replays the same ticks, deadlines and checkpoints). One of the simulation's
 * narrow seams, with the transport, the disk and the caller-driven loop ({@link NodeDriver#startDriven()}).
 */
public interface NodeClock {

    /** The system's monotonic and wall clocks. */
    NodeClock SYSTEM = new NodeClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Clock wall() {
            return Clock.systemUTC();
        }
    };

    /** Monotonic time for deadlines and intervals, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Wall-clock time for what people read (the failover history). */
    Clock wall();
}
