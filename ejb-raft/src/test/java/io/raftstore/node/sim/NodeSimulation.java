package io.raftstore.node.sim;

import io.raftstore.core.Membership;
import io.raftstore.core.NodeStatus;
import io.raftstore.core.ReadConsistency;
import io.raftstore.core.Role;
import io.raftstore.core.sim.KvCommand.Op;
import io.raftstore.kv.KvCommand;
import io.raftstore.kv.KvResult;
import io.raftstore.storage.sim.CrashMode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One seeded run of a whole cluster of production nodes (see the package comment): clients work while a
 * nemesis breaks the network, crashes nodes (losing what their disks had not synced), wipes a data
 * directory, fails disks, transfers leadership and forces snapshots; then every fault heals and the run
 * must settle (one leader, every node caught up and holding the same state), every key's history must be
 * linearizable and every counter must have counted each increment once. {@link SafetyChecks} runs after
 * every turn of every node. A broken promise throws {@link SafetyViolationError}.
 */
final class NodeSimulation {

    /** How one run is set up. */
    record Options(long seed, int nodes, long faultMillis, boolean trace) {
        Options {
            if (nodes < 1 || faultMillis < 0) {
                throw new IllegalArgumentException("nodes " + nodes + ", fault millis " + faultMillis);
            }
        }
    }

    /** What a run did, for its summary line. */
    record Result(long seed, int operations, int crashes, int wipes, long turns, long largestSearch, long virtualMillis) {
        @Override
        public String toString() {
            return String.format("seed %d: %d operations, %d crashes, %d wipes, %d turns, search %d, %.1f s virtual",
                    seed, operations, crashes, wipes, turns, largestSearch, virtualMillis / 1000.0);
        }
    }

    private static final long SETTLE_MILLIS = 30_000;

    private final Options options;
    private final SimWorld world;
    private final SimNet net;
    private final SafetyChecks checks;
    private final SimHistory history;
    private final List<SimNode> nodes = new ArrayList<>();
    private final List<SimClient> clients = new ArrayList<>();
    private final List<String> keys = List.of("k0", "k1", "k2", "k3", "k4");
    private final Set<String> amnesic = new HashSet<>();
    private Membership initial;
    private int wipes;

    NodeSimulation(Options options) {
        this.options = options;
        this.world = new SimWorld(options.seed(), options.trace());
        this.net = new SimNet(world);
        this.checks = new SafetyChecks(world);
        this.history = new SimHistory(world);
    }

    Result run() throws Exception {
        Path root = Files.createTempDirectory("nodesim");
        try {
            return run(root);
        } catch (SafetyViolationError e) {
            throw new SafetyViolationError(e.getMessage() + "\n  network: " + net.describe() + "\n  nodes: "
                    + describeNodes() + "\n  last trace lines:\n" + world.traceTail());
        } finally {
            for (SimNode n : nodes) {
                n.crash(null);
            }
            try (var all = Files.walk(root)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private Result run(Path root) {
        String[] ids = new String[options.nodes()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "n" + (i + 1);
        }
        initial = Membership.ofVoters(ids);
        for (String id : ids) {
            SimNodeConfig config = SimNodeConfig.draw(world.random);
            world.trace(id, "config " + config);
            nodes.add(new SimNode(id, config, world, net, new SimStore(root.resolve(id), config, world), checks));
        }
        nodes.forEach(n -> n.start(initial));
        for (int c = 1; c <= 4; c++) {
            SimClient client = new SimClient(c, world, () -> nodes, history, keys);
            clients.add(client);
            client.start();
        }
        scheduleNextFault();
        world.runUntil(options.faultMillis() * 1_000_000);

        world.trace("--", "HEAL: every fault ends, every node restarts, clients finish");
        net.heal();
        nodes.stream().filter(n -> !n.up()).forEach(n -> n.start(initial));
        clients.forEach(SimClient::stop);
        long settleBy = world.now() + SETTLE_MILLIS * 1_000_000;
        SimNode leader = awaitSettled(settleBy);
        readEverythingEverywhere(settleBy);
        leader = awaitSettled(settleBy);
        compareStates(leader);
        long search = history.checkLinearizable();
        for (SimClient c : clients) {
            KvResult r = leader.state().read(new KvCommand.Get(c.counterKey()));
            history.checkCounter(c.counterKey(), r instanceof KvResult.Value v
                    ? Long.parseLong(new String(v.value(), StandardCharsets.US_ASCII)) : 0);
        }
        return new Result(options.seed(), history.size(), nodes.stream().mapToInt(n -> n.crashes).sum(), wipes,
                checks.turns, search, world.millis());
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
        SimNode n = nodes.get(world.random.nextInt(nodes.size()));
        double healAfter = world.millisBetween(100, 3_000);
        double r = world.random.nextDouble();
        if (r < 0.15) {
            world.trace("--", "ISOLATE " + n.id + " for " + (long) healAfter + " ms");
            net.isolate(n.id, ids());
            world.afterMillis(healAfter, this::healNetwork);
        } else if (r < 0.25) {
            SimNode other = nodes.get(world.random.nextInt(nodes.size()));
            world.trace("--", "CUT " + n.id + " > " + other.id + " for " + (long) healAfter + " ms");
            net.cut(n.id, other.id);
            world.afterMillis(healAfter, this::healNetwork);
        } else if (r < 0.35) {
            double loss = world.millisBetween(0, 0.3);
            double max = world.millisBetween(1, 40);
            world.trace("--", String.format("LOSSY loss %.2f delay up to %.1f ms for %d ms", loss, max, (long) healAfter));
            net.lossAndDelay(loss, 0.1, max);
            world.afterMillis(healAfter, this::healNetwork);
        } else if (r < 0.55) {
            if (n.up()) {
                n.crash(CrashMode.values()[world.random.nextInt(CrashMode.values().length)]);
                world.afterMillis(world.millisBetween(10, 2_000), () -> restart(n));
            }
        } else if (r < 0.60) {
            wipe(n);
        } else if (r < 0.75) {
            nodes.stream().filter(SimNode::up).filter(x -> x.status().role() == Role.LEADER).findFirst()
                    .ifPresent(l -> {
                        world.trace("--", "TRANSFER from " + l.id);
                        l.driver().requestTransfer(null);
                        l.wake();
                    });
        } else if (r < 0.85) {
            if (n.up()) {
                world.trace("--", "SNAPSHOT NOW on " + n.id);
                n.driver().snapshotNow();
                n.wake();
            }
        }
    }

    private void healNetwork() {
        if (world.millis() < options.faultMillis()) {
            world.trace("--", "network healed");
            net.heal();
        }
    }

    private void restart(SimNode n) {
        if (!n.up()) {
            n.start(initial);
        }
    }

    /**
     * An operator wipes a stopped node's data directory and starts it again: allowed one node at a time,
     * while every other node keeps its data (the documented procedure), so never while another wiped node
     * has not been caught up yet.
     */
    private void wipe(SimNode n) {
        amnesic.removeIf(id -> nodes.stream().anyMatch(x -> x.id.equals(id) && x.up() && x.caughtUp()));
        if (!amnesic.isEmpty() || !n.up() || nodes.stream().anyMatch(x -> !x.up())) {
            return;
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
        SimNode leader = nodes.stream().filter(n -> n.status().role() == Role.LEADER).findFirst().orElse(null);
        if (leader == null) {
            return null;
        }
        NodeStatus l = leader.status();
        for (SimNode n : nodes) {
            NodeStatus s = n.status();
            if (!leader.id.equals(s.leaderId()) || s.commitIndex() != l.lastIndex()
                    || n.state().appliedIndex() != l.lastIndex()) {
                return null;
            }
        }
        return leader;
    }

    /** A linearizable read of every key through every node, recorded with the clients' operations. */
    private void readEverythingEverywhere(long by) {
        for (SimNode n : nodes) {
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
        for (SimNode n : nodes) {
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
            b.append("\n    ").append(n.id).append(n.up() ? " " + n.status().role() + " term " + n.status().term()
                    + " leader " + n.status().leaderId() + " commit " + n.status().commitIndex() + " last "
                    + n.status().lastIndex() + " applied " + n.state().appliedIndex() : " down");
        }
        return b.toString();
    }
}
