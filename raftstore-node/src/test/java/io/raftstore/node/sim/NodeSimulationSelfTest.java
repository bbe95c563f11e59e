package io.raftstore.node.sim;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A simulation that passes proves something only if it can fail: each {@link SimBug}, planted on its own,
 * must make one of the first {@value #BUDGET} seeds fail, and that seed must pass with the bug taken out
 * again (so the failure is the bug's). Each bug is a past fix taken out again (or, for the disk, a missing
 * fsync), in a layer the engine-only simulation does not run.
 */
class NodeSimulationSelfTest {

    private static final int BUDGET = 60;

    @ParameterizedTest
    @EnumSource(SimBug.class)
    void aPlantedBugIsCaught(SimBug bug) throws Exception {
        for (long seed = 1; seed <= BUDGET; seed++) {
            NodeSimulation.Options defaults = NodeSimulationRunner.defaults(seed);
            NodeSimulation.Options options = new NodeSimulation.Options(seed, defaults.nodes(), defaults.faultMillis(),
                    false, bug);
            try {
                new NodeSimulation(options).run();
            } catch (SafetyViolationError caught) {
                new NodeSimulation(defaults).run(); // throws if the seed fails without the bug too
                System.out.println(bug + " caught by seed " + seed + ": " + caught.getMessage().lines().findFirst().orElse(""));
                return;
            }
        }
        fail(bug + " was planted and none of seeds 1.." + BUDGET + " noticed");
    }
}
