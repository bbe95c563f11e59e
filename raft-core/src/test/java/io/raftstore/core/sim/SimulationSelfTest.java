package io.raftstore.core.sim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The simulation must fail when the system under test is wrong: with a bug planted in the driver, some
 * seed of a small range fails with the right kind of report. A simulation that passes everything would
 * otherwise look exactly like a correct engine.
 */
class SimulationSelfTest {

    private static SimResult firstFailure(DriverBug bug) {
        for (long seed = 1; seed <= 60; seed++) {
            for (int nodes : new int[] {3, 5}) {
                SimResult r = new Simulation(seed, nodes, 600, null, bug).run();
                if (!r.passed()) {
                    return r;
                }
            }
        }
        return fail("no seed noticed the planted bug " + bug);
    }

    @Test
    void staleReadsPassedOffAsLinearizableAreCaughtByTheLinearizabilityCheck() {
        SimResult r = firstFailure(DriverBug.STALE_READS);
        assertTrue(r.failure().contains("not linearizable"), r.toString());
    }

    /**
     * Depending on the seed, a safety check sees the stale entries first, or the engine itself trips over a
     * log that disagrees with what it was told to write; both are reported as a failing seed.
     */
    @Test
    void aDriverThatKeepsAConflictingSuffixIsCaught() {
        SimResult r = firstFailure(DriverBug.KEEP_CONFLICTING_SUFFIX);
        assertTrue(r.failure().matches("(?s).*(state machine safety|log matching|committed entry lost"
                + "|leader completeness|replicas differ|Exception).*"), r.toString());
        assertTrue(!r.failure().startsWith("liveness"), r.toString());
    }

    /** A key whose linearizability search runs out of steps proves nothing: the run fails, like any other. */
    @Test
    void aKeyWhoseLinearizabilitySearchGivesUpFailsTheRun() {
        SimResult r = new Simulation(1, 3, 600, null, DriverBug.NONE, 10).run();
        assertFalse(r.passed(), "a search of 10 steps gave up, yet the run passed: " + r);
        assertTrue(r.failure().contains("linearizability search gave up on key"), r.toString());
        assertTrue(r.replayCommand().contains("--seed 1 --nodes 3"), r.replayCommand());
    }
}
