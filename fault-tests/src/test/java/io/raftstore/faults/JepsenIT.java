package io.raftstore.faults;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Jepsen-style suite on three real Liberty servers: for each seed, two clients per node do writes,
 * deletes, linearizable reads and compare-and-sets on four keys while the nemesis kills, pauses, isolates
 * (the leader, a follower), cuts one way (the leader deaf, the leader mute), makes a link lossy or slow and
 * transfers leadership; then every key is read from every node and the history is checked
 * ({@link JepsenRun}). CI runs {@code faults.seeds} seeds of {@code faults.seconds} each; more on demand:
 * {@code mvn ... -Dit.test=JepsenIT -Dfaults.firstSeed=100 -Dfaults.seeds=20}.
 */
@Order(1) // first, PartitionIT next: they share one cluster (fault-tests/pom.xml orders the classes)
class JepsenIT {

    /** Three real Liberty servers in network namespaces, shared with PartitionIT ({@link NetnsCluster#sharedOfThree}). */
    @RegisterExtension
    static final NetnsCluster cluster = NetnsCluster.sharedOfThree();

    @Test
    void aMembershipChangeWhileAFollowerIsCutOffATransferAndASlowLeaderStayLinearizable() throws Exception {
        long seed = Long.getLong("faults.firstSeed", 1) + 1000;
        JepsenRun.Result r = JepsenRun.run(cluster, seed, 0, Nemesis.Fault.MEMBERSHIP_WHILE_CUT,
                Nemesis.Fault.TRANSFER_LEADERSHIP, Nemesis.Fault.SLOW_LINK, Nemesis.Fault.ISOLATE_LEADER);
        System.out.println("membership, seed " + seed + ": " + r.report() + "\n  faults " + r.episodes()
                + "\n  longest write gap of the serving nodes per fault (ms): " + r.gaps());
    }

    @Test
    void seededRunsStayLinearizableAndAvailable() throws Exception {
        long first = Long.getLong("faults.firstSeed", 1);
        int seeds = Integer.getInteger("faults.seeds", 2);
        int seconds = Integer.getInteger("faults.seconds", 30);
        for (long seed = first; seed < first + seeds; seed++) {
            JepsenRun.Result r = JepsenRun.run(cluster, seed, seconds);
            System.out.println("seed " + seed + ": " + r.report() + "\n  faults " + r.episodes()
                    + "\n  longest write gap of the serving nodes per fault (ms): " + r.gaps());
        }
    }
}
