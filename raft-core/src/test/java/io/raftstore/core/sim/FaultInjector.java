package io.raftstore.core.sim;

import io.raftstore.core.ConfigChange;
import io.raftstore.core.Membership;
import io.raftstore.core.RaftException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The nemesis: at random ticks it partitions the network (symmetrically or one way), heals it, changes
 * loss, duplication and delay, crashes nodes (now or at a chosen point inside their next Ready), restarts
 * them, changes the membership one server at a time, and asks the leader to hand over. Every choice comes
 * from the cluster's seeded generator.
 */
final class FaultInjector {

    private final SimCluster cluster;
    private final Consumer<SimNode> onCrash;
    /** Crashed nodes and the tick at which they come back. */
    private final TreeMap<String, Long> restartAt = new TreeMap<>();
    private long healAt = -1;
    private int crashes;
    private int partitions;
    private int membershipChanges;
    private int transfers;
    private int pauses;

    FaultInjector(SimCluster cluster, Consumer<SimNode> onCrash) {
        this.cluster = cluster;
        this.onCrash = onCrash;
    }

    /** Called once per tick during the faulty phase. */
    void tick() {
        long now = cluster.now();
        if (healAt >= 0 && now >= healAt) {
            cluster.network.healAll();
            healAt = -1;
            cluster.trace.event("network healed");
        }
        for (var e : new ArrayList<>(restartAt.entrySet())) {
            if (now >= e.getValue()) {
                restart(cluster.node(e.getKey()));
            }
        }
        if (cluster.random.nextDouble() >= cluster.options.faultRate()) {
            return;
        }
        switch (cluster.random.nextInt(13)) {
            case 0, 1 -> partitionSymmetric();
            case 2 -> isolateLeader();
            case 3 -> partitionOneWay();
            case 4 -> changeNetworkQuality();
            case 5, 6 -> crashSomeone();
            case 7, 8 -> changeMembership();
            case 9 -> transferLeadership();
            case 10 -> retireRemovedNode();
            case 11 -> pauseSomeone();
            default -> {
                cluster.network.healAll();
                cluster.trace.event("network healed");
            }
        }
    }

    /** Ends every fault: network healed and quiet, crashed members restarted. */
    void healEverything() {
        cluster.network.healAll();
        cluster.network.setFaults(0, 0, 2, 0);
        healAt = -1;
        restartAt.clear();
        for (SimNode n : cluster.nodes()) {
            n.cancelCrash();
        }
        restartDownMembers();
        cluster.trace.event("all faults healed");
    }

    /**
     * Restarts every down node of the current configuration. Called on every healed tick: a removal that
     * looked done (it takes effect when appended) can still be undone if it never commits, and then the
     * node we retired is a voter again, as an operator would notice.
     */
    void restartDownMembers() {
        Membership members = cluster.membership();
        for (SimNode n : cluster.nodes()) {
            if (!n.alive() && members.contains(n.id)) {
                n.start(cluster.random.nextLong());
            }
        }
    }

    private void restart(SimNode node) {
        restartAt.remove(node.id);
        if (!node.alive()) {
            node.start(cluster.random.nextLong());
        }
    }

    /** A node crashed by a crash point inside its Ready: schedule its return. */
    void crashed(SimNode node) {
        if (!node.removed()) {
            restartAt.put(node.id, cluster.now() + 1 + cluster.random.nextInt(8 * cluster.options.election()));
        }
    }

    private void scheduleHeal() {
        partitions++;
        healAt = cluster.now() + cluster.options.election() + cluster.random.nextInt(10 * cluster.options.election());
    }

    private void partitionSymmetric() {
        List<String> ids = cluster.ids();
        Collections.shuffle(ids, cluster.random);
        int cut = 1 + cluster.random.nextInt(ids.size() - 1);
        cluster.network.healAll();
        cluster.network.partition(ids.subList(0, cut), ids.subList(cut, ids.size()));
        cluster.trace.event("partition " + ids.subList(0, cut) + " | " + ids.subList(cut, ids.size()));
        scheduleHeal();
    }

    private void isolateLeader() {
        SimNode leader = cluster.leader();
        if (leader == null) {
            return;
        }
        List<String> others = cluster.ids();
        others.remove(leader.id);
        cluster.network.healAll();
        cluster.network.partition(List.of(leader.id), others);
        cluster.trace.event("isolate leader " + leader.id);
        scheduleHeal();
    }

    private void partitionOneWay() {
        List<String> ids = cluster.ids();
        int links = 1 + cluster.random.nextInt(ids.size());
        StringBuilder what = new StringBuilder();
        for (int i = 0; i < links; i++) {
            String from = cluster.pick(ids);
            String to = cluster.pick(ids);
            if (!from.equals(to)) {
                cluster.network.block(from, to);
                what.append(' ').append(from).append('>').append(to);
            }
        }
        cluster.trace.event("one-way cuts" + what);
        scheduleHeal();
    }

    private void changeNetworkQuality() {
        double loss = cluster.random.nextInt(3) == 0 ? 0 : cluster.random.nextDouble() * 0.15;
        double dup = cluster.random.nextDouble() * 0.05;
        int delay = 1 + cluster.random.nextInt(Math.max(1, cluster.options.heartbeat() * 2));
        double spikes = cluster.random.nextDouble() * 0.02;
        cluster.network.setFaults(loss, dup, delay, spikes);
        cluster.trace.event(String.format("network loss=%.2f dup=%.2f delay<=%d spikes=%.3f",
                loss, dup, delay, spikes));
    }

    /** A process stopped for up to three election timeouts (SIGSTOP, a long GC), the leader half of the time. */
    private void pauseSomeone() {
        List<SimNode> running = members(SimNode::running);
        if (running.isEmpty()) {
            return;
        }
        SimNode victim = cluster.random.nextBoolean() && cluster.leader() != null ? cluster.leader()
                : cluster.pick(running);
        pauses++;
        victim.pause(cluster.now() + 1 + cluster.random.nextInt(3 * cluster.options.election()));
    }

    /** The nodes still in the cluster (not removed) that are in the given state. */
    private List<SimNode> members(Predicate<SimNode> state) {
        List<SimNode> found = new ArrayList<>();
        for (SimNode n : cluster.nodes()) {
            if (state.test(n) && !n.removed()) {
                found.add(n);
            }
        }
        return found;
    }

    private void crashSomeone() {
        List<SimNode> alive = members(SimNode::alive);
        if (alive.isEmpty()) {
            return;
        }
        SimNode victim = cluster.random.nextInt(3) == 0 && cluster.leader() != null ? cluster.leader()
                : cluster.pick(alive);
        crashes++;
        if (cluster.random.nextBoolean()) {
            CrashPoint point = CrashPoint.values()[cluster.random.nextInt(CrashPoint.values().length)];
            cluster.trace.node(victim.id, "will crash at " + point + " of its next Ready");
            victim.crashDuringNextReady(point);
        } else {
            victim.crash();
            onCrash.accept(victim);
            crashed(victim);
        }
    }

    private void changeMembership() {
        SimNode leader = cluster.leader();
        if (leader == null) {
            return;
        }
        Membership m = leader.raft().status().membership();
        ConfigChange change;
        if (!m.learners().isEmpty()) {
            change = new ConfigChange(cluster.random.nextInt(4) == 0 ? ConfigChange.Type.REMOVE_MEMBER
                    : ConfigChange.Type.PROMOTE_LEARNER, m.learners().iterator().next());
        } else if (m.voters().size() > cluster.options.nodes()
                || (m.voters().size() > 3 && cluster.random.nextBoolean())) {
            change = new ConfigChange(ConfigChange.Type.REMOVE_MEMBER, cluster.pick(new ArrayList<>(m.voters())));
        } else if (cluster.createdNodes() < cluster.options.nodes() + 4) {
            String id = cluster.newNodeId();
            cluster.addNode(id, Membership.EMPTY);
            change = new ConfigChange(ConfigChange.Type.ADD_LEARNER, id);
        } else {
            return;
        }
        try {
            leader.raft().proposeMembership(change);
            membershipChanges++;
            cluster.trace.node(leader.id, "proposed " + change);
        } catch (RaftException | IllegalArgumentException e) {
            cluster.trace.node(leader.id, "membership change " + change + " refused: " + e.getMessage());
        }
    }

    private void transferLeadership() {
        SimNode leader = cluster.leader();
        if (leader == null) {
            return;
        }
        List<String> voters = new ArrayList<>(leader.raft().status().membership().voters());
        voters.remove(leader.id);
        String target = voters.isEmpty() || cluster.random.nextBoolean() ? null : cluster.pick(voters);
        try {
            leader.raft().transferLeadership(target);
            transfers++;
            cluster.trace.node(leader.id, "transfer leadership to " + (target == null ? "the most caught-up" : target));
        } catch (RaftException | IllegalArgumentException e) {
            cluster.trace.node(leader.id, "transfer refused: " + e.getMessage());
        }
    }

    /** Shuts down for good a node the cluster removed (after it had a chance to try to disrupt). */
    private void retireRemovedNode() {
        Membership m = cluster.membership();
        for (SimNode n : cluster.nodes()) {
            if (n.alive() && !m.contains(n.id) && n.removed()) {
                n.crash();
                onCrash.accept(n);
                cluster.trace.node(n.id, "retired");
                return;
            }
        }
    }

    String summary() {
        return "crashes=" + crashes + " partitions=" + partitions + " membershipChanges=" + membershipChanges
                + " transfers=" + transfers + " pauses=" + pauses;
    }
}
