package io.raftstore.faults;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lease reads ({@code raftstore.lease.reads=true}) on three real Liberty servers: the Jepsen-style run of
 * {@link JepsenIT} with every client read asking for {@code lease}, so a leader answers from its lease
 * without asking its followers. What a lease cannot survive is a leader that loses track of time: paused
 * (GC, SIGSTOP) while the others elect a new leader and write, then resumed before it hears of the new
 * term. The run starts with that fault, the paused leader also cut off so that it stays unaware after
 * resuming while its clients' requests, queued during the pause, reach it; then the leader's disk frozen
 * (its loop stalls in a write while its request threads, which answer lease reads, run on: only the lease's
 * end in real time stops them), a crash (failover waits for an election timeout in this mode), and seeded
 * faults from the whole menu.
 */
class LeaseReadIT {

    @RegisterExtension
    static final NetnsCluster cluster = NetnsCluster.withLeaseReads(3);

    @Test
    void leaseReadsStayLinearizableWhenALeaderIsPausedAndCutOffOrItsDiskHangs() throws Exception {
        for (int i = 1; i <= cluster.size(); i++) { // else this would test linearizable reads under another name
            JsonObject status = cluster.status(i).orElseThrow(() -> new AssertionError("no status"));
            assertTrue(status.getBoolean("leaseReads"), status.getString("nodeId") + " serves no lease reads");
        }
        long seed = Long.getLong("faults.firstSeed", 1) + 2000;
        JepsenRun.Result r = JepsenRun.run(cluster, seed, Integer.getInteger("faults.seconds", 30) / 2, "lease",
                Nemesis.Fault.PAUSE_ISOLATED_LEADER, Nemesis.Fault.FREEZE_LEADER_DISK, Nemesis.Fault.KILL_LEADER,
                Nemesis.Fault.PAUSE_LEADER, Nemesis.Fault.FREEZE_LEADER_DISK, Nemesis.Fault.PAUSE_ISOLATED_LEADER);
        System.out.println("lease reads, seed " + seed + ": " + r.report() + "\n  faults " + r.episodes()
                + "\n  longest write gap of the serving nodes per fault (ms): " + r.gaps());
    }
}
