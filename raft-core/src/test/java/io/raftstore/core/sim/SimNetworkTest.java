package io.raftstore.core.sim;

import io.raftstore.core.message.RaftMessage;
import io.raftstore.core.message.TimeoutNow;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulated network is deterministic per seed and honours blocked links in each direction. */
class SimNetworkTest {

    private static List<String> run(long seed) {
        SimNetwork net = new SimNetwork(new Random(seed));
        net.setFaults(0.2, 0.2, 4, 0.1);
        List<String> delivered = new ArrayList<>();
        for (long t = 0; t < 200; t++) {
            net.send(new TimeoutNow("a", "b", t), t);
            for (RaftMessage m : net.due(t)) {
                delivered.add(t + ":" + m.term());
            }
        }
        return delivered;
    }

    @Test
    void sameSeedSameDeliveriesAndFaultsHappen() {
        List<String> first = run(42);
        assertEquals(first, run(42));
        assertTrue(!first.equals(run(43)));
        // Loss, duplication and reordering all occurred.
        assertTrue(first.size() < 200 * 1.2 && first.size() > 100, "delivered " + first.size());
        long reordered = 0;
        for (int i = 1; i < first.size(); i++) {
            long prev = Long.parseLong(first.get(i - 1).split(":")[1]);
            long cur = Long.parseLong(first.get(i).split(":")[1]);
            reordered += cur < prev ? 1 : 0;
        }
        assertTrue(reordered > 0);
    }

    @Test
    void asymmetricPartitionBlocksOneDirection() {
        SimNetwork net = new SimNetwork(new Random(1));
        net.block("a", "b");
        net.send(new TimeoutNow("a", "b", 1), 0);
        net.send(new TimeoutNow("b", "a", 1), 0);
        List<RaftMessage> got = net.due(10);
        assertEquals(1, got.size());
        assertEquals("b", got.get(0).from());
    }

    @Test
    void messagesInFlightWhenAPartitionStartsAreDropped() {
        SimNetwork net = new SimNetwork(new Random(1));
        net.send(new TimeoutNow("a", "b", 1), 0);
        net.partition(Set.of("a"), Set.of("b", "c"));
        assertEquals(0, net.due(10).size());
        net.healAll();
        net.send(new TimeoutNow("a", "b", 1), 10);
        assertEquals(1, net.due(20).size());
    }
}
