package io.raftstore.core.sim;

/**
 * The outcome of one simulation run.
 *
 * @param failure      null when every check passed, else what failed
 * @param failedAtTick the global tick of the failure (or the end of the run)
 * @param searchSteps  the most steps the linearizability search took for one key
 * @param stats        counts for the run's summary line
 */
public record SimResult(long seed, int nodes, int faultTicks, String failure, long failedAtTick, long searchSteps,
                        String stats) {

    public boolean passed() {
        return failure == null;
    }

    /** The one-line command that replays this run with a trace. */
    public String replayCommand() {
        return "mvn -o -q -pl raft-core test-compile exec:java -Dexec.classpathScope=test"
                + " -Dexec.mainClass=io.raftstore.core.sim.SimulationRunner"
                + " -Dexec.args=\"--seed " + seed + " --nodes " + nodes
                + (faultTicks == SimulationRunner.DEFAULT_FAULT_TICKS ? "" : " --ticks " + faultTicks) + " --trace\"";
    }

    @Override
    public String toString() {
        return (passed() ? "ok   " : "FAIL ") + "seed=" + seed + " nodes=" + nodes
                + (passed() ? "" : " at tick " + failedAtTick + ": " + failure) + " | " + stats + " search=" + searchSteps;
    }
}
