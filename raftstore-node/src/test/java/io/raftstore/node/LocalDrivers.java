package io.raftstore.node;

import io.raftstore.core.Membership;
import io.raftstore.core.RaftConfig;
import io.raftstore.core.Role;
import io.raftstore.core.storage.RaftStorage;
import io.raftstore.core.storage.memory.MemoryHardStateStore;
import io.raftstore.core.storage.memory.MemoryLogStore;
import io.raftstore.core.storage.memory.MemorySnapshotStore;
import io.raftstore.node.history.InMemoryFailoverHistory;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Real {@link NodeDriver}s n1..nN in one JVM, over an in-memory network ({@link LocalHub}) with storage in
 * memory and a {@link RegisterMachine} each: the node's event loop, router and transfers, without files or
 * sockets. Public for tests of other packages (and child JVMs) that need a running cluster.
 */
public final class LocalDrivers implements AutoCloseable {

    final LocalHub hub = new LocalHub();
    final List<NodeDriver> drivers = new ArrayList<>();
    final List<RegisterMachine> machines = new ArrayList<>();

    private LocalDrivers() {
    }

    /** Starts {@code size} voters with 10 ms ticks. */
    public static LocalDrivers start(int size, long requestTimeoutMillis) throws Exception {
        return start(size, requestTimeoutMillis, id -> NodeMetrics.NONE);
    }

    /** As {@link #start(int, long)}, node {@code id} reporting to {@code metrics.apply(id)}. */
    public static LocalDrivers start(int size, long requestTimeoutMillis, Function<String, NodeMetrics> metrics)
            throws Exception {
        return start(size, new DriverSettings(10, requestTimeoutMillis), metrics);
    }

    /** As {@link #start(int, long, Function)}, every driver with {@code settings}. */
    public static LocalDrivers start(int size, DriverSettings settings, Function<String, NodeMetrics> metrics)
            throws Exception {
        LocalDrivers cluster = new LocalDrivers();
        String[] ids = new String[size];
        for (int i = 0; i < size; i++) {
            ids[i] = "n" + (i + 1);
        }
        Membership voters = Membership.ofVoters(ids);
        for (int i = 0; i < size; i++) {
            RegisterMachine machine = new RegisterMachine();
            NodeDriver d = new NodeDriver(RaftConfig.defaults(ids[i], voters),
                    new RaftStorage(new MemoryLogStore(), new MemoryHardStateStore(), new MemorySnapshotStore()),
                    machine, cluster.hub.transport(ids[i]), new InMemoryFailoverHistory(10),
                    settings, r -> {
                        Thread t = new Thread(r);
                        t.setDaemon(true);
                        return t;
                    }, new SplittableRandom(i + 1)).countWith(metrics.apply(ids[i]));
            d.start();
            cluster.drivers.add(d);
            cluster.machines.add(machine);
        }
        return cluster;
    }

    public List<NodeDriver> drivers() {
        return List.copyOf(drivers);
    }

    public NodeDriver awaitLeader() throws InterruptedException {
        return awaitLeader(drivers);
    }

    /** The node of {@code among} that leads and that all of them follow, within 10 s. */
    public NodeDriver awaitLeader(List<NodeDriver> among) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (NodeDriver d : among) {
                if (d.status().role() == Role.LEADER
                        && among.stream().allMatch(o -> d.nodeId().equals(o.status().leaderId()))) {
                    return d;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no leader among " + among.stream().map(NodeDriver::nodeId).toList());
    }

    @Override
    public void close() {
        drivers.forEach(NodeDriver::close);
    }
}
