package io.raftstore.core.sim;

import io.raftstore.core.Membership;
import io.raftstore.core.RaftConfig;

import java.util.Random;

/**
 * The parameters of one simulation run, all derived from the seed except the cluster size and the
 * length of the faulty phase.
 *
 * @param seed        the seed everything random is drawn from
 * @param nodes       initial voters: 3, 5 or 7
 * @param faultTicks  ticks of workload with faults, before everything heals
 * @param heartbeat   engine heartbeat, in ticks
 * @param election    engine minimum election timeout, in ticks, of the node with the shortest ({@link #electionOf})
 * @param clients     concurrent clients, each running one operation at a time
 * @param keys        distinct keys (operations on one key are checked together)
 * @param leaseReads  whether some reads use {@link io.raftstore.core.ReadConsistency#LEASE}
 * @param faultRate   chance per tick that the fault injector acts
 * @param sharedPersister nodes persist through the engine's ReadyPersister instead of the simulation's own
 *                    step-by-step writes (which allow crashes between writes)
 * @param bug         a bug planted in the driver on purpose, to test the checkers; normally NONE
 */
record SimOptions(long seed, int nodes, int faultTicks, int heartbeat, int election, int clients, int keys,
                  boolean leaseReads, double faultRate, boolean sharedPersister, DriverBug bug) {

    /** The request timeout of the engine, in ticks. */
    int requestTimeout() {
        return 6 * election;
    }

    static SimOptions forSeed(long seed, int nodes, int faultTicks, DriverBug bug) {
        Random r = new Random(seed * 0x9E3779B97F4A7C15L + nodes);
        int heartbeat = 1 + r.nextInt(3);
        int election = heartbeat * (4 + r.nextInt(4));
        return new SimOptions(seed, nodes, faultTicks, heartbeat, election, 3 + r.nextInt(4), 1 + r.nextInt(3),
                r.nextBoolean(), 0.01 + r.nextDouble() * 0.03, r.nextInt(3) == 0, bug);
    }

    RaftConfig raftConfig(String id, Membership initial) {
        // Small batches and snapshot chunks so that pipelining limits and chunked transfers are exercised.
        return RaftConfig.defaults(id, initial)
                .withTimeouts(heartbeat, electionOf(id), requestTimeout())
                .withBatching(4, 16 * 1024, 2 * 1024, 256)
                // The simulation reports crashes and false alarms as peer-loss hints (Simulation); a driver that
                // serves LEASE reads must not, as hints let followers vote while a lease runs, so seeds with lease
                // reads go without, and their leader serves from its lease.
                .withPeerLossHints(!leaseReads);
    }

    /**
     * Node {@code id}'s election timeout: {@link #election} to twice as much, fixed per seed and node. Nodes
     * differ, as halfway through a rolling restart that changes the setting: a leader's lease must end by what
     * its followers promise, not by its own timeout.
     */
    int electionOf(String id) {
        return election + Math.floorMod(Long.hashCode(seed * 31 + id.hashCode()), election + 1);
    }

    @Override
    public String toString() {
        return "seed=" + seed + " nodes=" + nodes + " heartbeat=" + heartbeat + " election=" + election
                + " clients=" + clients + " keys=" + keys + " leaseReads=" + leaseReads
                + String.format(" faultRate=%.3f", faultRate) + (sharedPersister ? " persister=shared" : "")
                + (bug == DriverBug.NONE ? "" : " PLANTED BUG " + bug);
    }
}
