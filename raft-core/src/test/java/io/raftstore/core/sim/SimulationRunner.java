package io.raftstore.core.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Command line entry point of the simulation.
 *
 * <pre>
 * # a seed range, every cluster size, printing each failing seed with its replay command
 * mvn -o -q -pl raft-core test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.raftstore.core.sim.SimulationRunner -Dexec.args="--from 1 --count 5000"
 * # one seed, with a step-by-step trace
 *     ... -Dexec.args="--seed 42 --nodes 5 --trace"
 * </pre>
 *
 * Options: {@code --from N --count M} (a range), {@code --seed S} (one seed), {@code --nodes 3,5,7},
 * {@code --ticks T} (length of the faulty phase), {@code --trace}, {@code --verbose} (a line per run),
 * {@code --bug STALE_READS|KEEP_CONFLICTING_SUFFIX} (plant a driver bug, to see the checkers catch it).
 * Exits with status 1 when a seed failed.
 */
public final class SimulationRunner {

    /** Ticks of the faulty phase unless told otherwise. */
    public static final int DEFAULT_FAULT_TICKS = 4000;

    private SimulationRunner() {
    }

    public static void main(String[] args) {
        SeedRange seeds = new SeedRange();
        List<Integer> sizes = List.of(3, 5, 7);
        int ticks = DEFAULT_FAULT_TICKS;
        boolean trace = false;
        boolean verbose = false;
        DriverBug bug = DriverBug.NONE;
        for (int i = 0; i < args.length; i++) {
            int seedValue = seeds.accept(args, i);
            if (seedValue >= 0) {
                i = seedValue;
                continue;
            }
            switch (args[i]) {
                case "--nodes" -> sizes = parseSizes(args[++i]);
                case "--ticks" -> ticks = Integer.parseInt(args[++i]);
                case "--trace" -> trace = true;
                case "--verbose" -> verbose = true;
                case "--bug" -> bug = DriverBug.valueOf(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i] + "; see the SimulationRunner javadoc");
                    System.exit(2);
                }
            }
        }
        long started = System.nanoTime();
        int runs = 0;
        long largestSearch = 0;
        List<SimResult> failures = new ArrayList<>();
        for (long seed = seeds.from(); seed < seeds.end(); seed++) {
            for (int nodes : sizes) {
                SimResult r = new Simulation(seed, nodes, ticks, trace ? System.out : null, bug).run();
                runs++;
                largestSearch = Math.max(largestSearch, r.searchSteps());
                if (!r.passed()) {
                    failures.add(r);
                    System.out.println(r);
                    System.out.println("  replay: " + r.replayCommand());
                } else if (verbose || trace) {
                    System.out.println(r);
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%d runs (seeds %d..%d, nodes %s, %d fault ticks): %d passed, %d failed in %.1f s;"
                + " largest linearizability search %,d of %,d steps%n", runs, seeds.from(), seeds.end() - 1, sizes, ticks,
                runs - failures.size(), failures.size(), seconds, largestSearch, Simulation.SEARCH_BUDGET);
        if (!failures.isEmpty()) {
            System.out.println("failing seeds:");
            failures.forEach(f -> System.out.println("  --seed " + f.seed() + " --nodes " + f.nodes()));
            System.exit(1);
        }
    }

    private static List<Integer> parseSizes(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            out.add(Integer.parseInt(s.trim()));
        }
        return out;
    }
}
