package io.raftstore.faults;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Five real Liberty servers in their own network namespaces: the faults only five nodes can show. The
 * seeded run starts with a bridge (two pairs that cannot talk, joined by one node that talks to both) and
 * the majorities ring (each node hears only its two neighbours, so every node sees a majority and none the
 * same one), then draws further faults; after it, two nodes are killed (the store goes on) and a third
 * (it refuses writes), and nothing acknowledged is lost when they return.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FiveNodeIT {

    /**
     * Five real Liberty servers in network namespaces: started before the first test, wiped after the last.
     * Their Raft logs are in the H2 store ({@code raftstore.log.store=h2}), so real processes, kill -9 and
     * real faults meet it too; the other fault tests run the default write-ahead log.
     */
    @RegisterExtension
    static final NetnsCluster cluster = NetnsCluster.ofSize(5, "h2");

    @Test
    @Order(1)
    void aBridgeAndTheMajoritiesRingStayLinearizableAndAvailable() throws Exception {
        long seed = Long.getLong("faults.firstSeed", 1);
        int seeds = Integer.getInteger("faults.seeds", 2);
        for (long s = seed; s < seed + Math.max(1, seeds / 2); s++) {
            JepsenRun.Result r = JepsenRun.run(cluster, s, Integer.getInteger("faults.seconds", 30),
                    Nemesis.Fault.BRIDGE, Nemesis.Fault.RING);
            System.out.println("five nodes, seed " + s + ": " + r.report() + "\n  faults " + r.episodes()
                    + "\n  longest write gap of the serving nodes per fault (ms): " + r.gaps());
        }
    }

    @Test
    @Order(2)
    void survivesTwoKilledRefusesWritesAfterAThirdAndLosesNothing() throws Exception {
        KvClient kv = cluster.kv(Duration.ofSeconds(8));
        int leader = cluster.awaitLeaderSeenBy(Duration.ofSeconds(60), 1, 2, 3, 4, 5);
        List<Integer> order = new ArrayList<>(List.of(leader));
        for (int i = 1; i <= 5; i++) {
            if (i != leader) {
                order.add(i);
            }
        }
        int survivor = order.get(4);
        cluster.onNode("kill", order.get(0));
        cluster.onNode("kill", order.get(1));
        KvClient.Write w = kv.putUntilOk(cluster.url(survivor), "five", "with-three", Duration.ofSeconds(20));
        assertEquals(KvClient.Outcome.OK, w.outcome(), "three of five must acknowledge writes\n" + cluster.describe());

        cluster.onNode("kill", order.get(2));
        long t0 = System.nanoTime();
        KvClient.Write refused;
        do { // until the survivors have noticed the third loss, a write may still wait for its quorum
            refused = kv.put(cluster.url(survivor), "five", "with-two", null, 0, 0);
        } while (refused.status() != 503 && System.nanoTime() - t0 < 20_000_000_000L);
        assertEquals(503, refused.status(), "two of five acknowledged a write");

        // All three at once (./cluster restart launches them together and awaits them all): one after another
        // took three restarts' time (about 10 s each) for nothing this test looks at.
        cluster.onNode("restart", order.get(0), Integer.toString(order.get(1)), Integer.toString(order.get(2)));
        cluster.awaitLeaderSeenBy(Duration.ofSeconds(90), 1, 2, 3, 4, 5);
        for (int i = 1; i <= 5; i++) {
            KvClient.Read r = kv.get(cluster.url(i), "five", "linearizable");
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (r.outcome() != KvClient.Outcome.OK && System.nanoTime() < deadline) {
                Thread.sleep(100);
                r = kv.get(cluster.url(i), "five", "linearizable");
            }
            assertTrue("with-three".equals(r.value()) || "with-two".equals(r.value()),
                    "n" + i + " reads " + r.value() + ": the acknowledged write is lost");
        }
    }

}
