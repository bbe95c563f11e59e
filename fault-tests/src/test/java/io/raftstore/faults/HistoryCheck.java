package io.raftstore.faults;

import io.raftstore.core.sim.KvCommand;
import io.raftstore.core.sim.LinearizabilityChecker;
import io.raftstore.core.sim.LinearizabilityChecker.Verdict;
import io.raftstore.core.sim.Operation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The end of a run: every key read from every node once the faults are healed (a linearizable read, then
 * a stale one that must agree once the node has caught up), then the whole history checked key by key
 * with the engine's linearizability checker. A lost acknowledged write, a write applied twice, a stale
 * linearizable read or replicas that disagree all make a key's history non-linearizable; a search that
 * gives up fails the run too (it proves nothing).
 */
final class HistoryCheck {

    /** Search steps per key; a run's keys see a few thousand operations each, far below this. */
    private static final long MAX_STEPS = 50_000_000L;

    private HistoryCheck() {
    }

    /** Reads every key from every node into the history; fails when a node cannot answer within the bound. */
    static void readEverythingEverywhere(NetnsCluster cluster, History history, List<String> keys, Duration within)
            throws InterruptedException {
        KvClient kv = cluster.kv(Duration.ofSeconds(2));
        int client = 10_000;
        for (int node = 1; node <= cluster.size(); node++) {
            for (String key : keys) {
                long deadline = System.nanoTime() + within.toNanos();
                while (true) {
                    History.Call call = history.invoke(client + node, node, key, KvCommand.Op.GET, null, null);
                    KvClient.Read r = kv.get(cluster.url(node), key, "linearizable");
                    if (r.outcome() == KvClient.Outcome.OK) {
                        history.ok(call, r.value(), true);
                        awaitStaleEquals(kv, cluster, node, key, r.value(), deadline);
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("n" + node + " answered no linearizable read of " + key
                                + " within " + within + " after healing (last status " + r.status() + ")\n"
                                + cluster.describe());
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    /** Once a linearizable read answered, the node's own copy must reach that value (no writes run now). */
    private static void awaitStaleEquals(KvClient kv, NetnsCluster cluster, int node, String key, String expected,
                                         long deadline) throws InterruptedException {
        while (true) {
            KvClient.Read r = kv.get(cluster.url(node), key, "stale");
            if (r.outcome() == KvClient.Outcome.OK && Objects.equals(r.value(), expected)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("n" + node + "'s own copy of " + key + " is " + r.value()
                        + ", the linearizable read said " + expected);
            }
            Thread.sleep(50);
        }
    }

    /** Key by key: what the checker says, and the figures a run report shows. */
    record Report(Map<String, Verdict> verdicts, int operations, int unknown, int acknowledgedWrites) {

        boolean linearizable() {
            return verdicts.values().stream().allMatch(v -> v == Verdict.LINEARIZABLE);
        }

        @Override
        public String toString() {
            return operations + " operations (" + acknowledgedWrites + " acknowledged writes, " + unknown
                    + " without a definite answer); per key: " + verdicts;
        }
    }

    static Report check(History history) {
        List<Operation> all = history.operations();
        Map<String, List<Operation>> byKey = new LinkedHashMap<>();
        int unknown = 0;
        int acked = 0;
        for (Operation op : all) {
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            if (!op.complete()) {
                unknown++;
            } else if (op.kind() != KvCommand.Op.GET) {
                acked++;
            }
        }
        LinearizabilityChecker checker = new LinearizabilityChecker(MAX_STEPS);
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        byKey.forEach((key, ops) -> verdicts.put(key, checker.check(ops)));
        return new Report(verdicts, all.size(), unknown, acked);
    }

    /** The operations of one key, in invocation order, for a failure message. */
    static String dump(History history, String key, int max) {
        StringBuilder b = new StringBuilder();
        history.operations().stream().filter(o -> o.key().equals(key))
                .sorted(Comparator.comparingLong(Operation::invokedAt)).limit(max)
                .forEach(o -> b.append("\n    ").append(o));
        return b.toString();
    }
}
