package io.raftstore.core.sim;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The CI budget of the deterministic simulation: seeds {@code sim.firstSeed ..} ({@code sim.seeds} of
 * them, 200 by default) for clusters of 3, 5 and 7 nodes. A failure lists each failing seed with the
 * command that replays it with a trace.
 */
class SimulationTest {

    private static final long SEEDS = Long.getLong("sim.seeds", 200);
    private static final long FIRST_SEED = Long.getLong("sim.firstSeed", 1);

    @Test
    void threeNodes() {
        runBudget(3);
    }

    @Test
    void fiveNodes() {
        runBudget(5);
    }

    @Test
    void sevenNodes() {
        runBudget(7);
    }

    private static void runBudget(int nodes) {
        long started = System.nanoTime();
        List<SimResult> failures = new ArrayList<>();
        long largestSearch = 0;
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            SimResult r = new Simulation(seed, nodes, SimulationRunner.DEFAULT_FAULT_TICKS, null).run();
            largestSearch = Math.max(largestSearch, r.searchSteps());
            if (!r.passed()) {
                failures.add(r);
            }
        }
        System.out.printf("simulation: %d seeds from %d, %d nodes: %d failed, largest linearizability"
                + " search %,d of %,d steps, %.1f s%n", SEEDS, FIRST_SEED, nodes, failures.size(), largestSearch,
                Simulation.SEARCH_BUDGET, (System.nanoTime() - started) / 1e9);
        if (!failures.isEmpty()) {
            StringBuilder sb = new StringBuilder(failures.size() + " of " + SEEDS + " seeds failed with " + nodes
                    + " nodes:");
            for (SimResult f : failures) {
                sb.append("\n").append(f).append("\n  replay: ").append(f.replayCommand());
            }
            fail(sb.toString());
        }
    }
}
