package io.raftstore.node.sim;

import io.raftstore.core.sim.KvCommand.Op;
import io.raftstore.core.sim.LinearizabilityChecker;
import io.raftstore.core.sim.Operation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The clients' operations on registers, as the engine's linearizability checker reads them, and the
 * counters they incremented with sessions (exactly-once: a counter ends between the increments
 * acknowledged and those plus the ones whose outcome stayed unknown).
 */
final class SimHistory {

    /** Search steps per key before the checker gives up, which fails the run (it would prove nothing). */
    private static final long MAX_STEPS = 5_000_000;

    private final SimWorld world;
    private final List<Operation> ops = new ArrayList<>();
    private final Map<String, long[]> counters = new TreeMap<>();
    private long stamps;

    SimHistory(SimWorld world) {
        this.world = world;
    }

    record Call(int client, String key, Op kind, String value, long stamp, long millis) {
    }

    Call invoke(int client, String key, Op kind, String value) {
        return new Call(client, key, kind, value, ++stamps, world.millis());
    }

    /** A definite answer; {@code output} is what a read returned. */
    void ok(Call c, String output) {
        ops.add(new Operation(c.client(), c.key(), c.kind(), c.value(), null, output, true, c.stamp(), ++stamps,
                c.millis(), world.millis()));
    }

    /** No answer that says what happened: the write may take effect at any later time, or never. */
    void unknown(Call c) {
        if (c.kind() != Op.GET) {
            ops.add(new Operation(c.client(), c.key(), c.kind(), c.value(), null, null, false, c.stamp(),
                    Operation.PENDING, c.millis(), -1));
        }
    }

    /** An increment of {@code counter} was acknowledged ({@code acked}) or ended unknown. */
    void increment(String counter, boolean acked) {
        counters.computeIfAbsent(counter, k -> new long[2])[acked ? 0 : 1]++;
    }

    int size() {
        return ops.size();
    }

    /** Every key's history must be linearizable; returns the largest search, in steps. */
    long checkLinearizable() {
        Map<String, List<Operation>> byKey = new LinkedHashMap<>();
        for (Operation op : ops) {
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        LinearizabilityChecker checker = new LinearizabilityChecker(MAX_STEPS);
        long largest = 0;
        for (Map.Entry<String, List<Operation>> e : byKey.entrySet()) {
            LinearizabilityChecker.Outcome outcome = checker.search(e.getValue());
            largest = Math.max(largest, outcome.steps());
            if (outcome.verdict() != LinearizabilityChecker.Verdict.LINEARIZABLE) {
                StringBuilder b = new StringBuilder("key " + e.getKey() + ": " + outcome.verdict() + " after "
                        + outcome.steps() + " steps; its operations:");
                e.getValue().stream().sorted(Comparator.comparingLong(Operation::invokedAt)).limit(200)
                        .forEach(o -> b.append("\n    ").append(o));
                throw new SafetyViolationError(b.toString());
            }
        }
        return largest;
    }

    /** A counter's final value must count each acknowledged increment once and each unknown one at most once. */
    void checkCounter(String counter, long value) {
        long[] n = counters.getOrDefault(counter, new long[2]);
        if (value < n[0] || value > n[0] + n[1]) {
            throw new SafetyViolationError("counter " + counter + " is " + value + " after " + n[0]
                    + " acknowledged and " + n[1] + " unknown increments: " + (value < n[0]
                    ? "an acknowledged increment was lost" : "one took effect twice, or after its client was told it"
                    + " was not written"));
        }
    }

    Map<String, long[]> counters() {
        return counters;
    }
}
