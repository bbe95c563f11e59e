package io.raftstore.faults;

import io.raftstore.core.sim.KvCommand;
import io.raftstore.core.sim.Operation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operations clients ran, as the engine's linearizability checker reads them. Every invocation and
 * every response takes the next stamp of one counter, so "A returned before B was invoked" holds exactly
 * as the clients saw it (all clients run in this JVM); the tick fields carry milliseconds since the
 * history began, for people and for the write-gap measure.
 */
final class History {

    private final AtomicLong stamps = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private final List<Operation> ops = new ArrayList<>();
    /** Node each operation went to, by position in {@link #ops}. */
    private final List<Integer> nodes = new ArrayList<>();

    /** An invocation: its stamp and time, to be closed by {@link #ok}, {@link #failed} or {@link #unknown}. */
    record Call(int client, int node, String key, KvCommand.Op kind, String value, String expected,
                long stamp, long millis) {
    }

    Call invoke(int client, int node, String key, KvCommand.Op kind, String value, String expected) {
        return new Call(client, node, key, kind, value, expected, stamps.incrementAndGet(), millis());
    }

    /** A definite answer: {@code output} is what a read returned, {@code ok} whether a CAS wrote. */
    void ok(Call c, String output, boolean ok) {
        add(c, new Operation(c.client(), c.key(), c.kind(), c.value(), c.expected(), output, ok,
                c.stamp(), stamps.incrementAndGet(), c.millis(), millis()));
    }

    /** No answer that says what happened: a write may take effect at any later time, or never. */
    void unknown(Call c) {
        if (c.kind() == KvCommand.Op.GET) {
            return; // a read without an answer has no effect: nothing to check
        }
        add(c, new Operation(c.client(), c.key(), c.kind(), c.value(), c.expected(), null, false,
                c.stamp(), Operation.PENDING, c.millis(), -1));
    }

    private synchronized void add(Call c, Operation op) {
        ops.add(op);
        nodes.add(c.node());
    }

    long millis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    synchronized List<Operation> operations() {
        return List.copyOf(ops);
    }

    /**
     * The longest time, within [from, to] ms, in which no write sent to one of {@code nodes} was
     * acknowledged (a CAS refused with 412 counts: the leader answered it); the edges of the window count.
     */
    synchronized long longestWriteGap(long from, long to, Set<Integer> nodeSet) {
        List<Long> acks = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            if (op.kind() != KvCommand.Op.GET && op.complete() && nodeSet.contains(nodes.get(i))
                    && op.returnTick() >= from && op.returnTick() <= to) {
                acks.add(op.returnTick());
            }
        }
        acks.sort(null);
        long last = from;
        long longest = 0;
        for (long t : acks) {
            longest = Math.max(longest, t - last);
            last = t;
        }
        return Math.max(longest, to - last);
    }
}
