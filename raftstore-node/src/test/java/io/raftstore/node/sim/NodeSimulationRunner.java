package io.raftstore.node.sim;

import io.raftstore.core.sim.SeedRange;

/**
 * Runs whole-node simulation seeds from the command line and prints each failure with the command that
 * replays it. Options: {@code --from N --count M} (a range), {@code --seed S}, {@code --nodes N},
 * {@code --millis T} (length of the faulty phase), {@code --trace}, {@code --bug B} (plant a {@link SimBug}).
 */
public final class NodeSimulationRunner {

    private NodeSimulationRunner() {
    }

    /** A seed's run as CI runs it, or as the system properties of {@link #replay} say. */
    static NodeSimulation.Options defaults(long seed) {
        String bug = System.getProperty("nodesim.bug");
        return new NodeSimulation.Options(seed, Integer.getInteger("nodesim.nodes", 3),
                Long.getLong("nodesim.millis", 10_000), Boolean.getBoolean("nodesim.trace"),
                bug == null || bug.isEmpty() ? null : SimBug.valueOf(bug));
    }

    /** One command that replays {@code o}'s seed with its trace. */
    static String replay(NodeSimulation.Options o) {
        return "mvn -o -q -B -pl raftstore-node -am test -Dtest=NodeSimulationTest#everySeedKeepsEveryPromise"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dnodesim.firstSeed=" + o.seed() + " -Dnodesim.seeds=1"
                + " -Dnodesim.nodes=" + o.nodes() + " -Dnodesim.millis=" + o.faultMillis()
                + (o.bug() != null ? " -Dnodesim.bug=" + o.bug() : "") + " -Dnodesim.trace=true";
    }

    public static void main(String[] args) throws Exception {
        SeedRange seeds = new SeedRange();
        int nodes = defaults(0).nodes();
        long millis = defaults(0).faultMillis();
        boolean trace = false;
        SimBug bug = null;
        for (int i = 0; i < args.length; i++) {
            int seedValue = seeds.accept(args, i);
            if (seedValue >= 0) {
                i = seedValue;
                continue;
            }
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--millis" -> millis = Long.parseLong(args[++i]);
                case "--trace" -> trace = true;
                case "--bug" -> bug = SimBug.valueOf(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        int failed = 0;
        for (long seed = seeds.from(); seed < seeds.end(); seed++) {
            NodeSimulation.Options o = new NodeSimulation.Options(seed, nodes, millis, trace, bug);
            long started = System.nanoTime();
            try {
                System.out.println(new NodeSimulation(o).run() + String.format(" (%.1f s)", (System.nanoTime() - started) / 1e9));
            } catch (SafetyViolationError e) {
                failed++;
                System.out.println("FAILED seed " + seed + ": " + e.getMessage() + "\n  replay: " + replay(o));
            }
        }
        System.out.println(failed + " of " + seeds.count() + " seeds failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
