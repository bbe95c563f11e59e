package io.raftstore.node.sim;

import io.raftstore.core.ConfigChange;
import io.raftstore.core.Membership;
import io.raftstore.core.NodeStatus;
import io.raftstore.core.ReadConsistency;
import io.raftstore.core.Role;
import io.raftstore.core.sim.KvCommand.Op;
import io.raftstore.kv.KvCommand;
import io.raftstore.kv.KvResult;
import io.raftstore.node.PlantedBug;
import io.raftstore.storage.sim.CrashMode;
import io.raftstore.storage.sim.SimDisk;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One seeded run of a whole cluster of production nodes (see the package comment): clients work while a
 * nemesis breaks the network, crashes nodes (losing what their disks had not synced; a leader also while its
 * best follower is cut off and the other fell behind), wipes a data directory, fails disks, transfers
 * leadership and forces snapshots; then every fault heals and the run
 * must settle (one leader, every node caught up and holding the same state), every key's history must be
 * linearizable and every counter must have counted each increment once. {@link SafetyChecks} runs after
 * every turn of every node. A broken promise throws {@link SafetyViolationError}.
 */
final class NodeSimulation {

    /** How one run is set up. */
    record Options(long seed, int nodes, long faultMillis, boolean trace, SimBug bug) {
        Options {
            if (nodes < 1 || faultMillis < 0) {
                throw new IllegalArgumentException("nodes " + nodes + ", fault millis " + faultMillis);
            }
        }
    }

    /** What a run did, for its summary line. */
    record Result(long seed, int operations, int crashes, int wipes, int membershipChanges, long turns,
                  long largestSearch, long virtualMillis, long traceDigest) {
        @Override
        public String toString() {
            return String.format("seed %d: %d operations, %d crashes, %d wipes, %d membership changes, %d turns,"
                    + " search %d, %.1f s virtual", seed, operations, crashes, wipes, membershipChanges, turns,
                    largestSearch, virtualMillis / 1000.0);
        }
    }

    private static final long SETTLE_MILLIS = 30_000;
    /** Servers beyond the first voters, added as learners, promoted and removed during a run. */
    private static final int SPARES = 2;

    private final Options options;
    private final SimWorld world;
    private final SimNet net;
    private final SafetyChecks checks;
    private final SimHistory history;
    private final List<SimNode> nodes = new ArrayList<>();
    private final List<SimClient> clients = new ArrayList<>();
    private final List<String> keys = List.of("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7");
    private final Set<String> amnesic = new HashSet<>();
    /** Nodes that are not (or no longer) members: stopped, their data deleted, ready to be added again. */
    private final Set<SimNode> spares = new HashSet<>();
    private int wipes;
    private int changes;

    NodeSimulation(Options options) {
        this.options = options;
        this.world = new SimWorld(options.seed(), options.trace());
        this.net = new SimNet(world);
        this.checks = new SafetyChecks(world);
        this.history = new SimHistory(world);
    }

    Result run() throws Exception {
        Path root = Path.of("/sim");
        PlantedBug.plant(SimBug.inProduction(options.bug()));
        try {
            return run(root);
        } catch (SafetyViolationError e) {
            throw new SafetyViolationError(e.getMessage() + "\n  network: " + net.describe() + "\n  nodes: "
                    + describeNodes() + "\n  last trace lines:\n" + world.traceTail());
        } finally {
            PlantedBug.plant(Set.of());
            for (SimNode n : nodes) {
                n.crash(null);
            }
        }
    }

    private Result run(Path root) {
        String[] ids = new String[options.nodes()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "n" + (i + 1);
        }
        Membership voters = Membership.ofVoters(ids);
        for (int i = 1; i <= options.nodes() + SPARES; i++) {
            String id = "n" + i;
            SimNodeConfig config = SimNodeConfig.draw(world.random);
            world.trace(id, "config " + config);
            SimNode node = new SimNode(id, config, i <= options.nodes() ? voters : Membership.EMPTY, world, net,
                    new SimStore(root.resolve(id), config, world, options.bug() == SimBug.MISSING_FSYNC), checks);
            nodes.add(node);
            node.afterFaultStop(() -> world.afterMillis(world.millisBetween(50, 2_000), () -> restart(node)));
            if (i <= options.nodes()) {
                node.start();
            } else {
                spares.add(node);
            }
        }
        for (int c = 1; c <= 4; c++) {
            SimClient client = new SimClient(c, world, this::inService, history, keys);
            clients.add(client);
            client.start();
        }
        net.onMidInstall(to -> {
            if (world.millis() < options.faultMillis() && world.random.nextInt(4) == 0) {
                world.afterMillis(world.millisBetween(0, 3), () -> snapshotNow(node(to)));
            }
        });
        scheduleNextFault();
        world.runUntil(options.faultMillis() * 1_000_000);

        world.trace("--", "HEAL: every fault ends, every node restarts, clients finish");
        net.heal();
        for (SimNode n : nodes) {
            // A start that a disk fault stopped is tried again: the fault was for one operation only.
            for (int attempt = 0; !n.up() && !spares.contains(n) && !n.start(); attempt++) {
                if (attempt == 3) {
                    throw new SafetyViolationError(n.id + " failed to start 4 times in a row");
                }
            }
        }
        clients.forEach(SimClient::stop);
        long settleBy = world.now() + SETTLE_MILLIS * 1_000_000;
        SimNode leader = awaitSettled(settleBy);
        readEverythingEverywhere(leader, settleBy);
        leader = awaitSettled(settleBy);
        compareStates(leader);
        long search = history.checkLinearizable();
        for (SimClient c : clients) {
            KvResult r = leader.state().read(new KvCommand.Get(c.counterKey()));
            history.checkCounter(c.counterKey(), r instanceof KvResult.Value v
                    ? Long.parseLong(new String(v.value(), StandardCharsets.US_ASCII)) : 0);
        }
        return new Result(options.seed(), history.size(), nodes.stream().mapToInt(n -> n.crashes).sum(), wipes,
                changes, checks.turns, search, world.millis(), world.traceDigest());
    }

    // ---- the nemesis -----------------------------------------------------------------------------

    private void scheduleNextFault() {
        world.afterMillis(world.millisBetween(50, 600), () -> {
            if (world.millis() < options.faultMillis()) {
                fault();
                scheduleNextFault();
            }
        });
    }

    private void fault() {
        List<SimNode> serving = inService();
        SimNode n = serving.get(world.random.nextInt(serving.size()));
        double healAfter = world.millisBetween(100, 3_000);
        double r = world.random.nextDouble();
        if (r < 0.12) {
            world.trace("--", "ISOLATE " + n.id + " for " + (long) healAfter + " ms");
            net.isolate(n.id, ids());
            world.afterMillis(healAfter, this::healNetwork);
        } else if (r < 0.20) {
            SimNode other = serving.get(world.random.nextInt(serving.size()));
            world.trace("--", "CUT " + n.id + " > " + other.id + " for " + (long) healAfter + " ms");
            net.cut(n.id, other.id);
            world.afterMillis(healAfter, this::healNetwork);
        } else if (r < 0.28) {
            double loss = world.millisBetween(0, 0.3);
            double max = world.millisBetween(1, 40);
            world.trace("--", String.format("LOSSY loss %.2f delay up to %.1f ms for %d ms", loss, max, (long) healAfter));
            net.lossAndDelay(loss, 0.1, max);
            world.afterMillis(healAfter, this::healNetwork);
        } else if (r < 0.46) {
            if (n.up()) {
                n.crash(CrashMode.values()[world.random.nextInt(CrashMode.values().length)]);
                world.afterMillis(world.millisBetween(10, 2_000), () -> restart(n));
            }
        } else if (r < 0.51) {
            wipe(n);
        } else if (r < 0.61) {
            SimNode l = leader();
            if (l != null) {
                world.trace("--", "TRANSFER from " + l.id);
                l.driver().requestTransfer(null);
                l.wake();
            }
        } else if (r < 0.75) {
            changeMembership();
        } else if (r < 0.87) {
            snapshotNow(world.random.nextBoolean() ? n : null);
        } else if (r < 0.92) {
            if (n.up()) {
                n.failNextDiskOperation(world.random.nextBoolean() ? SimDisk.Op.WRITE : SimDisk.Op.FORCE);
            }
        } else {
            crashLeaderWithoutItsBestFollower(healAfter);
        }
    }

    /**
     * A write acknowledged before it was durable on a majority (the leader's own copy still unsynced, say) is
     * lost only if the next leader is elected by nodes that lack it. So: one follower falls behind (cut off),
     * the leader goes on committing with the other, then loses power while the follower furthest along is cut
     * off in turn, and comes back to the one that fell behind.
     */
    private void crashLeaderWithoutItsBestFollower(double healAfter) {
        SimNode leader = leader();
        List<SimNode> followers = inService().stream().filter(x -> x != leader && x.up()).toList();
        if (leader == null || followers.size() < 2) {
            return;
        }
        SimNode behind = followers.get(world.random.nextInt(followers.size()));
        world.trace("--", "ISOLATE " + behind.id + ", to fall behind before " + leader.id + " loses power");
        net.isolate(behind.id, ids());
        world.afterMillis(world.millisBetween(20, 300), () -> crashWhileSyncing(leader, behind, healAfter, 5_000));
    }

    /**
     * Polls (each 0.1 ms, {@code polls} times) for the moment the leader's commit index reached its last entry
     * while its sync of some of them is still pending (which a correct leader of three voters, one cut off, never
     * shows: it counts its own copy only once synced), and crashes it then, or when the polls run out.
     */
    private void crashWhileSyncing(SimNode leader, SimNode behind, double healAfter, int polls) {
        if (!leader.up() || world.millis() >= options.faultMillis()) {
            healNetwork();
            return;
        }
        boolean window = leader.driver().leaderSyncPending()
                && leader.status().commitIndex() == leader.status().lastIndex();
        if (!window && polls > 0) {
            world.afterMillis(0.1, () -> crashWhileSyncing(leader, behind, healAfter, polls - 1));
            return;
        }
        SimNode best = inService().stream().filter(x -> x != leader && x != behind && x.up())
                .max(Comparator.comparingLong(x -> x.status().lastIndex())).orElse(behind);
        world.trace("--", "ISOLATE " + best.id + " instead, for " + (long) healAfter + " ms, as " + leader.id
                + " loses power" + (window ? " with a sync pending" : ""));
        net.heal();
        net.isolate(best.id, ids());
        leader.crash(CrashMode.LOSE_UNSYNCED);
        world.afterMillis(world.millisBetween(10, healAfter / 2), () -> restart(leader));
        world.afterMillis(healAfter, this::healNetwork);
    }

    private SimNode leader() {
        return inService().stream().filter(SimNode::up).filter(x -> x.status().role() == Role.LEADER).findFirst()
                .orElse(null);
    }

    /**
     * Asks {@code n} (null: the node furthest behind, the one most likely to be receiving a snapshot from
     * the leader) to snapshot now.
     */
    private void snapshotNow(SimNode n) {
        SimNode target = n != null ? n : inService().stream().filter(SimNode::up)
                .min(Comparator.comparingLong(x -> x.state().appliedIndex())).orElse(null);
        if (target != null && target.up()) {
            world.trace("--", "SNAPSHOT NOW on " + target.id);
            target.driver().snapshotNow();
            target.wake();
        }
    }

    private void healNetwork() {
        if (world.millis() < options.faultMillis()) {
            world.trace("--", "network healed");
            net.heal();
        }
    }

    private void restart(SimNode n) {
        if (!n.up() && !spares.contains(n) && !n.start()) {
            world.afterMillis(world.millisBetween(10, 500), () -> restart(n));
        }
    }

    /** The nodes a client may use: every server not retired (a stopped one refuses the connection). */
    private List<SimNode> inService() {
        return nodes.stream().filter(n -> !spares.contains(n)).toList();
    }

    /**
     * Adds a spare server (started in join mode) as a learner, promotes a learner, or removes a member,
     * proposed through any running member as an admin's request is; a removed server is stopped and its
     * data deleted once its removal is committed, and may be added again later as a new node.
     */
    private void changeMembership() {
        List<SimNode> running = inService().stream().filter(SimNode::up).toList();
        if (running.isEmpty()) {
            return;
        }
        SimNode via = running.get(world.random.nextInt(running.size()));
        Membership m = via.status().membership();
        ConfigChange change;
        SimNode spare = spares.stream().sorted(Comparator.comparing(x -> x.id)).findFirst().orElse(null);
        if (spare != null && world.random.nextBoolean()) {
            if (!spare.start()) {
                return;
            }
            spares.remove(spare);
            change = new ConfigChange(ConfigChange.Type.ADD_LEARNER, spare.id, "sim:" + spare.id);
        } else if (!m.learners().isEmpty() && world.random.nextBoolean()) {
            change = new ConfigChange(ConfigChange.Type.PROMOTE_LEARNER, m.learners().iterator().next());
        } else if (m.voters().size() > options.nodes() || (!m.learners().isEmpty() && world.random.nextBoolean())) {
            List<String> members = new ArrayList<>(m.all());
            change = new ConfigChange(ConfigChange.Type.REMOVE_MEMBER, members.get(world.random.nextInt(members.size())));
        } else {
            return;
        }
        world.trace("--", "MEMBERSHIP " + change.type() + " " + change.nodeId() + " via " + via.id);
        via.driver().changeMembership(change).whenComplete((after, error) -> world.afterMillis(0, () -> {
            world.trace("--", "MEMBERSHIP " + change.type() + " " + change.nodeId() + ": "
                    + (error != null ? error : "committed, now " + after));
            if (error == null) {
                changes++;
                if (change.type() == ConfigChange.Type.REMOVE_MEMBER) {
                    retire(node(change.nodeId()));
                }
            }
        }));
        via.wake();
    }

    private void retire(SimNode n) {
        n.crash(null);
        n.wipe();
        amnesic.remove(n.id);
        spares.add(n);
    }

    private SimNode node(String id) {
        return nodes.stream().filter(n -> n.id.equals(id)).findFirst().orElseThrow();
    }

    /**
     * An operator wipes a stopped node's data directory and starts it again: allowed one node at a time,
     * while every other node keeps its data and the others are a majority of the voters (the documented
     * procedure), so never while another wiped node has not been caught up yet.
     */
    private void wipe(SimNode n) {
        amnesic.removeIf(id -> nodes.stream().anyMatch(x -> x.id.equals(id) && x.up() && x.caughtUp()));
        if (!amnesic.isEmpty() || !n.up() || inService().stream().anyMatch(x -> !x.up())) {
            return;
        }
        Membership m = n.status().membership();
        if (m.isVoter(n.id) && m.voters().size() - 1 < m.quorum()) {
            return; // the voters left with their data would be too few to elect anyone (2 voters, say)
        }
        n.crash(null);
        n.wipe();
        wipes++;
        amnesic.add(n.id);
        world.afterMillis(world.millisBetween(10, 500), () -> restart(n));
    }

    private List<String> ids() {
        return nodes.stream().map(n -> n.id).toList();
    }

    // ---- the end ---------------------------------------------------------------------------------

    /** Runs until one node leads, every node follows it, and each holds and applied its whole log. */
    private SimNode awaitSettled(long by) {
        while (world.now() < by) {
            world.runUntil(world.now() + 20_000_000);
            SimNode leader = settledLeader();
            if (leader != null && clients.stream().allMatch(SimClient::idle)) {
                return leader;
            }
        }
        throw new SafetyViolationError("the cluster did not settle within " + SETTLE_MILLIS + " ms after every "
                + "fault healed: " + describeNodes());
    }

    private SimNode settledLeader() {
        SimNode leader = inService().stream().filter(n -> n.up() && n.status().role() == Role.LEADER).findFirst()
                .orElse(null);
        if (leader == null) {
            return null;
        }
        NodeStatus l = leader.status();
        for (SimNode n : members(leader)) {
            if (!n.up()) {
                return null;
            }
            NodeStatus s = n.status();
            if (!leader.id.equals(s.leaderId()) || s.commitIndex() != l.lastIndex()
                    || n.state().appliedIndex() != l.lastIndex()) {
                return null;
            }
        }
        return leader;
    }

    /** The nodes in {@code leader}'s membership. */
    private List<SimNode> members(SimNode leader) {
        Set<String> ids = leader.status().membership().all();
        return nodes.stream().filter(n -> ids.contains(n.id)).toList();
    }

    /** A linearizable read of every key through every member, recorded with the clients' operations. */
    private void readEverythingEverywhere(SimNode leader, long by) {
        for (SimNode n : members(leader)) {
            for (String key : keys) {
                SimHistory.Call call = history.invoke(100, key, Op.GET, null);
                CompletableFuture<KvResult> read = n.read(new KvCommand.Get(key), ReadConsistency.LINEARIZABLE);
                while (!read.isDone() && world.now() < by) {
                    world.runUntil(world.now() + 5_000_000);
                }
                if (!read.isDone() || read.isCompletedExceptionally()) {
                    throw new SafetyViolationError(n.id + " answered no linearizable read of " + key
                            + " after every fault healed: " + (read.isDone() ? read.handle((r, e) -> e).join() : "no answer"));
                }
                history.ok(call, read.join() instanceof KvResult.Value v
                        ? new String(v.value(), StandardCharsets.UTF_8) : null);
            }
        }
    }

    /** Replicas that applied the same log hold the same state, versions and all. */
    private void compareStates(SimNode leader) {
        KvResult expected = leader.state().read(new KvCommand.Scan("", 10_000));
        for (SimNode n : members(leader)) {
            KvResult actual = n.state().read(new KvCommand.Scan("", 10_000));
            if (!actual.equals(expected)) {
                throw new SafetyViolationError(n.id + "'s state differs from leader " + leader.id + "'s at applied index "
                        + n.state().appliedIndex() + ":\n  " + actual + "\n  " + expected);
            }
        }
    }

    private String describeNodes() {
        StringBuilder b = new StringBuilder();
        for (SimNode n : nodes) {
            b.append("\n    ").append(n.id).append(spares.contains(n) ? " spare" : n.up() ? " " + n.status().role() + " term " + n.status().term()
                    + " leader " + n.status().leaderId() + " commit " + n.status().commitIndex() + " last "
                    + n.status().lastIndex() + " applied " + n.state().appliedIndex() : " down");
        }
        return b.toString();
    }
}
