package io.raftstore.node.sim;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole-node simulation's CI budget: seeds {@code nodesim.firstSeed} .. + {@code nodesim.seeds} of a
 * three-node cluster. A failing seed prints its replay command ({@link NodeSimulationRunner}).
 */
class NodeSimulationTest {

    private static final long FIRST_SEED = Long.getLong("nodesim.firstSeed", 1);
    private static final long SEEDS = Long.getLong("nodesim.seeds", 200);

    @Test
    void everySeedKeepsEveryPromise() throws Exception {
        List<String> failures = new ArrayList<>();
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            NodeSimulation.Options options = NodeSimulationRunner.defaults(seed);
            try {
                System.out.println(new NodeSimulation(options).run());
            } catch (SafetyViolationError e) {
                failures.add("seed " + seed + ": " + e.getMessage() + "\n  replay: " + NodeSimulationRunner.replay(options));
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + SEEDS + " seeds failed:\n" + String.join("\n", failures));
    }

    @Test
    void aSeedReplaysExactly() throws Exception {
        NodeSimulation.Options options = NodeSimulationRunner.defaults(FIRST_SEED);
        assertEquals(new NodeSimulation(options).run(), new NodeSimulation(options).run(),
                "two runs of one seed differ: a failing seed could not be replayed");
    }
}
