package io.raftstore.faults;

import io.raftstore.core.sim.LinearizabilityChecker.Verdict;
import io.raftstore.core.sim.Operation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One seeded run: clients and nemesis together for a while, every fault undone, every key read from every
 * node, the history checked. Fails with the seed, the faults, what went wrong and the command that
 * replays the seed; the whole history is written to {@code target/fault-histories/}.
 */
final class JepsenRun {

    /** The longest the majority side may go without acknowledging a write while a fault leaves it connected. */
    static final Duration MAX_WRITE_GAP = Duration.ofSeconds(3);

    private JepsenRun() {
    }

    /** What a passing run measured. */
    record Result(HistoryCheck.Report report, List<Nemesis.Episode> episodes, List<Long> gaps) {
    }

    static Result run(NetnsCluster cluster, long seed, int seconds, Nemesis.Fault... first) throws Exception {
        return run(cluster, seed, seconds, "linearizable", first);
    }

    /** As {@link #run(NetnsCluster, long, int, Nemesis.Fault...)}, the clients reading with {@code reads}. */
    static Result run(NetnsCluster cluster, long seed, int seconds, String reads, Nemesis.Fault... first)
            throws Exception {
        History history = new History();
        Workload load = new Workload(cluster, history, seed, 2 * cluster.size(), 4, Duration.ofSeconds(6), reads);
        Nemesis nemesis = new Nemesis(cluster, history, seed);
        load.start();
        try {
            nemesis.run(seconds, List.of(first));
        } finally {
            load.stop();
        }
        HistoryCheck.readEverythingEverywhere(cluster, history, load.keys(), Duration.ofSeconds(60));
        HistoryCheck.Report report = HistoryCheck.check(history);
        Path saved = save(history, seed);
        List<String> problems = new ArrayList<>();
        report.verdicts().forEach((key, verdict) -> {
            if (verdict != Verdict.LINEARIZABLE) {
                problems.add(key + ": " + verdict + (verdict == Verdict.GAVE_UP ? " (the search gave up: proves nothing)" : "")
                        + HistoryCheck.dump(history, key, 60));
            }
        });
        List<Long> gaps = new ArrayList<>();
        for (Nemesis.Episode e : nemesis.episodes()) {
            // From the fault to one election timeout after it was undone: the majority had to keep going.
            long gap = history.longestWriteGap(e.from(), e.to(), e.serving());
            gaps.add(gap);
            if (gap > MAX_WRITE_GAP.toMillis()) {
                problems.add("during " + e + " the serving nodes " + e.serving() + " acknowledged no write for "
                        + gap + " ms (bound " + MAX_WRITE_GAP.toMillis() + " ms)");
            }
        }
        if (report.acknowledgedWrites() == 0) {
            problems.add("no write was acknowledged at all: the run tested nothing");
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("seed " + seed + " failed on " + cluster.size() + " nodes; faults: "
                    + nemesis.episodes() + "\n" + String.join("\n", problems) + "\nhistory: " + saved
                    + "\nreplay: " + replayCommand(seed, cluster.size(), reads) + "\n" + report);
        }
        return new Result(report, nemesis.episodes(), gaps);
    }

    static String replayCommand(long seed, int nodes, String reads) {
        String test = nodes >= 5 ? "FiveNodeIT" : reads.equals("lease") ? "LeaseReadIT" : "JepsenIT";
        return "mvn -B -pl fault-tests -am verify -DskipITs -DskipFaultTests=false -Dtest=NONE"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=" + test
                + " -Dfaults.firstSeed=" + seed + " -Dfaults.seeds=1";
    }

    private static Path save(History history, long seed) throws IOException {
        Path dir = Path.of("target", "fault-histories");
        Files.createDirectories(dir);
        Path file = dir.resolve("seed-" + seed + ".txt");
        List<String> lines = new ArrayList<>();
        history.operations().stream().sorted(Comparator.comparingLong(Operation::invokedAt))
                .forEach(o -> lines.add(o.toString()));
        Files.write(file, lines);
        return file.toAbsolutePath();
    }
}
