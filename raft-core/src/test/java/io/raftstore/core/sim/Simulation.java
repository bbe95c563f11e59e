package io.raftstore.core.sim;

import io.raftstore.core.LogEntry;
import io.raftstore.core.Membership;
import io.raftstore.core.ReadState;
import io.raftstore.core.RequestFailure;
import io.raftstore.core.Role;
import io.raftstore.core.message.RaftMessage;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * One seeded run: a faulty phase (workload, network faults, crashes, membership changes, snapshots), then
 * a healed phase in which a leader must emerge and every pending request finish within a bound, then
 * convergence of the replicas and the linearizability check of the client history. Safety is checked
 * along the way after every Ready of every node. Single-threaded and fully determined by the seed.
 */
public final class Simulation implements SimNode.Events {

    private final SimOptions options;
    private final SimCluster cluster;
    private final FaultInjector faults;
    private final List<SimClient> clients = new ArrayList<>();
    private final List<Operation> history = new ArrayList<>();
    private final TreeSet<String> everMember = new TreeSet<>();
    private int leaderChanges;
    private int snapshotsTaken;
    /** The most steps the linearizability search took for one key of this run. */
    private long largestSearch;

    /** Steps the linearizability search may take for one key; a key that needs more fails the run. */
    static final long SEARCH_BUDGET = 2_000_000;

    private final long searchBudget;

    public Simulation(long seed, int nodes, int faultTicks, PrintStream trace) {
        this(seed, nodes, faultTicks, trace, DriverBug.NONE);
    }

    Simulation(long seed, int nodes, int faultTicks, PrintStream trace, DriverBug bug) {
        this(seed, nodes, faultTicks, trace, bug, SEARCH_BUDGET);
    }

    /** @param searchBudget another budget than {@link #SEARCH_BUDGET}, to test what happens when it runs out */
    Simulation(long seed, int nodes, int faultTicks, PrintStream trace, DriverBug bug, long searchBudget) {
        this.searchBudget = searchBudget;
        this.options = SimOptions.forSeed(seed, nodes, faultTicks, bug);
        SimTrace t = trace == null ? SimTrace.OFF : new SimTrace(trace);
        this.cluster = new SimCluster(options, new Random(seed), t);
        this.faults = new FaultInjector(cluster, this::crashed);
        for (int i = 0; i < options.clients(); i++) {
            clients.add(new SimClient(i, cluster, history));
        }
        everMember.addAll(cluster.initialMembership.voters());
        t.event("simulation " + options);
    }

    public SimResult run() {
        try {
            for (int i = 0; i < options.faultTicks(); i++) {
                step(true);
            }
            heal();
            converge();
            checkHistory();
            return result(null);
        } catch (RuntimeException | AssertionError e) {
            String what = e instanceof SafetyViolation ? e.getMessage() : e.toString();
            if (cluster.trace.on()) {
                e.printStackTrace(System.out);
            }
            return result(what);
        }
    }

    private SimResult result(String failure) {
        long unknown = history.stream().filter(o -> !o.complete()).count();
        for (SimClient c : clients) {
            unknown += c.unfinished() == null ? 0 : 1;
        }
        String stats = "ticks=" + cluster.now() + " ops=" + history.size() + " unknown=" + unknown
                + " msgs=" + cluster.network.sent() + " dropped=" + cluster.network.dropped()
                + " leaderChanges=" + leaderChanges + " snapshots=" + snapshotsTaken + " committed="
                + cluster.safety.committedIndex() + " " + faults.summary();
        return new SimResult(options.seed(), options.nodes(), options.faultTicks(), failure, cluster.now(),
                largestSearch, stats);
    }

    /** One tick of the whole world: deliveries, ticks, client requests, then every node's Readys. */
    private void step(boolean faulty) {
        cluster.advanceTick();
        for (SimNode n : cluster.nodes()) {
            n.resumeIfDue(cluster.now());
        }
        if (faulty) {
            faults.tick();
        } else {
            faults.restartDownMembers();
        }
        for (RaftMessage m : cluster.network.due(cluster.now())) {
            SimNode to = cluster.node(m.to());
            if (to != null && to.running()) {
                cluster.trace.lazy(m.to(), () -> "<- " + m);
                to.raft().step(m);
            }
        }
        for (SimNode n : cluster.nodes()) {
            if (n.running()) {
                n.raft().tick();
            }
        }
        for (SimClient c : clients) {
            c.tick();
        }
        for (SimNode n : cluster.nodes()) {
            if (n.running() && !n.processReadies(this)) {
                crashed(n);
                faults.crashed(n);
            }
        }
        maybeSnapshot();
        maybeFalseAlarm();
        trackMembership();
    }

    private void maybeSnapshot() {
        for (SimNode n : cluster.nodes()) {
            if (n.canSnapshot() && cluster.random.nextInt(50) == 0
                    && n.stateMachine().appliedIndex() - n.snapshotIndex() >= 8) {
                n.takeSnapshot(n.stateMachine().appliedIndex() - cluster.random.nextInt(6));
                snapshotsTaken++;
            }
        }
    }

    /** Marks nodes the cluster removed, so they are not restarted; unmarks them if the removal was undone. */
    private void trackMembership() {
        if (cluster.leader() == null) {
            return;
        }
        Membership m = cluster.membership();
        everMember.addAll(m.all());
        for (String id : everMember) {
            SimNode n = cluster.node(id);
            if (n != null && m.contains(id) == n.removed()) {
                if (n.removed()) {
                    n.unmarkRemoved();
                } else {
                    n.markRemoved();
                    cluster.trace.node(id, "removed from the cluster");
                }
            }
        }
    }

    /** After the faults end, a leader must emerge and every client request complete, within bounds. */
    private void heal() {
        faults.healEverything();
        for (SimClient c : clients) {
            c.stopStarting();
        }
        long healedAt = cluster.now();
        long leaderBound = 30L * options.election();
        long requestBound = leaderBound + 3L * options.requestTimeout();
        while (true) {
            boolean busy = clients.stream().anyMatch(SimClient::busy);
            if (stableLeader() != null && !busy) {
                return;
            }
            long waited = cluster.now() - healedAt;
            if (stableLeader() == null && waited > leaderBound) {
                throw new SafetyViolation("liveness: no leader " + waited + " ticks after every fault healed"
                        + describeNodes());
            }
            if (waited > requestBound) {
                throw new SafetyViolation("liveness: client requests still pending " + waited
                        + " ticks after every fault healed" + describeNodes());
            }
            step(false);
        }
    }

    /** A live leader that is a voter of its own membership. */
    private SimNode stableLeader() {
        SimNode leader = cluster.leader();
        return leader != null && leader.raft().status().membership().isVoter(leader.id) ? leader : null;
    }

    /** Every live member catches up with the leader; then all replicas hold the same data. */
    private void converge() {
        long start = cluster.now();
        while (true) {
            SimNode leader = stableLeader();
            if (leader != null && allCaughtUp(leader)) {
                compareReplicas(leader);
                return;
            }
            if (cluster.now() - start > 30L * options.election() + options.requestTimeout()) {
                throw new SafetyViolation("liveness: replicas did not catch up with the leader within "
                        + (cluster.now() - start) + " ticks" + describeNodes());
            }
            step(false);
        }
    }

    private boolean allCaughtUp(SimNode leader) {
        long commit = leader.raft().status().commitIndex();
        if (leader.stateMachine().appliedIndex() < commit) {
            return false;
        }
        for (String id : leader.raft().status().membership().all()) {
            SimNode n = cluster.node(id);
            if (n == null || !n.alive() || n.stateMachine().appliedIndex() != leader.stateMachine().appliedIndex()) {
                return false;
            }
        }
        return true;
    }

    private void compareReplicas(SimNode leader) {
        for (String id : leader.raft().status().membership().all()) {
            SimNode n = cluster.node(id);
            if (!n.stateMachine().data().equals(leader.stateMachine().data())) {
                throw new SafetyViolation("replicas differ at applied index " + leader.stateMachine().appliedIndex()
                        + ": " + leader.id + " " + leader.stateMachine().data() + " vs " + id + " "
                        + n.stateMachine().data());
            }
        }
    }

    /**
     * Throws unless every key's history is linearizable. A key whose search ran out of steps fails the run
     * too: its history proves nothing, and a checker that gives up on exactly the histories it finds hard would
     * otherwise pass them unseen.
     */
    private void checkHistory() {
        List<Operation> all = new ArrayList<>(history);
        for (SimClient c : clients) {
            if (c.unfinished() != null) {
                all.add(c.unfinished());
            }
        }
        LinearizabilityChecker checker = new LinearizabilityChecker(searchBudget);
        for (int k = 0; k < options.keys(); k++) {
            String key = "k" + k;
            List<Operation> ops = all.stream().filter(o -> o.key().equals(key)).toList();
            LinearizabilityChecker.Outcome outcome = checker.search(ops);
            largestSearch = Math.max(largestSearch, outcome.steps());
            switch (outcome.verdict()) {
                case NOT_LINEARIZABLE -> throw new SafetyViolation("history of key " + key + " is not linearizable:"
                        + HistoryFormat.format(ops));
                case GAVE_UP -> throw new SafetyViolation("the linearizability search gave up on key " + key
                        + " after " + searchBudget + " steps (" + ops.size() + " operations, "
                        + ops.stream().filter(o -> !o.complete()).count() + " of unknown outcome): its history"
                        + " proves nothing; look at it with the replay command:" + HistoryFormat.format(ops));
                default -> { }
            }
        }
    }

    private String describeNodes() {
        StringBuilder sb = new StringBuilder();
        for (SimNode n : cluster.nodes()) {
            sb.append("\n  ").append(n.id).append(n.alive() ? " " + n.raft().status() : " down")
                    .append(n.removed() ? " (removed)" : "");
        }
        sb.append("\n  blocked links: ").append(cluster.network.blockedLinks());
        return sb.toString();
    }

    // ---- events from the nodes ----------------------------------------------------------------------

    private void crashed(SimNode node) {
        for (SimClient c : clients) {
            c.onCrash(node);
        }
        // The node driver's failure detector (closed connections) tells some survivors at once.
        for (SimNode n : cluster.nodes()) {
            if (n != node && n.running() && cluster.random.nextBoolean()) {
                cluster.trace.node(n.id, "told " + node.id + " is lost");
                n.raft().peerLost(node.id);
            }
        }
    }

    /** Now and then a failure detector is wrong: a live node is reported lost. */
    private void maybeFalseAlarm() {
        if (cluster.random.nextInt(200) != 0) {
            return;
        }
        List<SimNode> nodes = List.copyOf(cluster.nodes());
        SimNode told = nodes.get(cluster.random.nextInt(nodes.size()));
        SimNode lost = nodes.get(cluster.random.nextInt(nodes.size()));
        if (told != lost && told.running() && lost.alive()) {
            cluster.trace.node(told.id, "wrongly told " + lost.id + " is lost");
            told.raft().peerLost(lost.id);
        }
    }

    @Override
    public void send(RaftMessage message) {
        cluster.trace.lazy(message.from(), () -> "-> " + message);
        cluster.network.send(message, cluster.now());
    }

    @Override
    public void applied(SimNode node, LogEntry entry, byte[] result) {
        cluster.trace.lazy(node.id, () -> "apply " + entry);
        for (SimClient c : clients) {
            c.onApplied(node, entry, result);
        }
    }

    @Override
    public void readReady(SimNode node, ReadState read) {
        cluster.trace.lazy(node.id, () -> "read ready " + read);
        for (SimClient c : clients) {
            c.onRead(node, read);
        }
    }

    @Override
    public void failed(SimNode node, RequestFailure failure) {
        cluster.trace.lazy(node.id, () -> "request failed " + failure);
        for (SimClient c : clients) {
            c.onFailed(node, failure);
        }
    }

    @Override
    public void roleChanged(SimNode node, Role role, long term, String leaderId) {
        if (role == Role.LEADER) {
            leaderChanges++;
        }
    }
}
