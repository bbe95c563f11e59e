package io.raftstore.core.sim;

import io.raftstore.core.Membership;
import io.raftstore.core.RaftConfig;
import io.raftstore.core.Role;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * The simulated world shared by the driver loop, the clients and the fault injector: the nodes (by id,
 * sorted so every iteration is deterministic), the network, the safety checker, the global tick and the
 * global event stamp that orders the client history.
 */
final class SimCluster {

    final SimOptions options;
    final Random random;
    final SimNetwork network;
    final SafetyChecker safety = new SafetyChecker();
    final SimTrace trace;
    final Membership initialMembership;
    private final TreeMap<String, SimNode> nodes = new TreeMap<>();
    private int nextNodeNumber;
    private Membership lastLeaderMembership;
    private long now;
    private long stamp;

    SimCluster(SimOptions options, Random random, SimTrace trace) {
        this.options = options;
        this.random = random;
        this.trace = trace;
        this.network = new SimNetwork(new Random(random.nextLong()));
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= options.nodes(); i++) {
            ids.add("n" + i);
        }
        nextNodeNumber = options.nodes() + 1;
        initialMembership = Membership.ofVoters(ids.toArray(String[]::new));
        lastLeaderMembership = initialMembership;
        for (String id : ids) {
            addNode(id, initialMembership);
        }
    }

    /** Creates and starts a node; a joining node gets an empty initial membership and waits to be added. */
    SimNode addNode(String id, Membership initial) {
        RaftConfig config = options.raftConfig(id, initial);
        SimNode node = new SimNode(id, config, safety, trace, options.bug(), options.sharedPersister());
        nodes.put(id, node);
        node.start(random.nextLong());
        return node;
    }

    /** A fresh id for a node joining the cluster; ids are never reused. */
    String newNodeId() {
        return "n" + nextNodeNumber++;
    }

    int createdNodes() {
        return nextNodeNumber - 1;
    }

    SimNode node(String id) {
        return nodes.get(id);
    }

    Collection<SimNode> nodes() {
        return nodes.values();
    }

    List<String> ids() {
        return new ArrayList<>(nodes.keySet());
    }

    long now() {
        return now;
    }

    void advanceTick() {
        now++;
        trace.tick(now);
    }

    /** A strictly increasing stamp for ordering client invocations and responses. */
    long stamp() {
        return ++stamp;
    }

    /** The live node that believes it leads the highest term, or null. */
    SimNode leader() {
        SimNode best = null;
        for (SimNode n : nodes.values()) {
            if (n.running() && n.role() == Role.LEADER && (best == null || n.term() > best.term())) {
                best = n;
            }
        }
        return best;
    }

    /**
     * The membership as the current leader sees it, else as the last leader saw it. (Asking live followers
     * is not enough: when every member of the latest configuration is down, their view is on no live node.)
     */
    Membership membership() {
        SimNode leader = leader();
        if (leader != null) {
            lastLeaderMembership = leader.raft().status().membership();
        }
        return lastLeaderMembership;
    }

    <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
