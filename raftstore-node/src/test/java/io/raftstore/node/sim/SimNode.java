package io.raftstore.node.sim;

import io.raftstore.core.Membership;
import io.raftstore.core.NodeStatus;
import io.raftstore.core.RaftConfig;
import io.raftstore.core.ReadConsistency;
import io.raftstore.core.storage.LogStore;
import io.raftstore.kv.KvCodec;
import io.raftstore.kv.KvCommand;
import io.raftstore.kv.KvResult;
import io.raftstore.kv.KvStateMachine;
import io.raftstore.node.DriverSettings;
import io.raftstore.node.NodeDriver;
import io.raftstore.node.history.InMemoryFailoverHistory;
import io.raftstore.node.storage.NodeStorage;
import io.raftstore.storage.sim.CrashMode;
import io.raftstore.storage.sim.SimDisk;

import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated server: the production storage ({@link NodeStorage}: write-ahead log, H2 key-value state,
 * snapshot files) on the node's own simulated disk, and the production {@link NodeDriver} on the world's
 * clock and network, its loop run turn by turn by this class ({@link NodeDriver#startDriven()}). A crash
 * drops every object of the process and crashes the disk; a restart opens everything again from what the
 * disk kept, as a real server's restart does.
 */
final class SimNode {

    final String id;
    final SimNodeConfig config;
    /** The membership the node starts with before its log says otherwise: the voters, or none when it joins. */
    private final Membership initial;
    private final SimWorld world;
    private final SimNet net;
    private final SimStore store;
    private final SafetyChecks checks;
    private NodeStorage storage;
    private NodeDriver driver;
    private SimTransport transport;
    /** Counts (re)starts and crashes: events of an older life are ignored. */
    private int life;
    private boolean up;
    private long turnAt = Long.MAX_VALUE;
    /** What happens after the node stopped on a disk fault (its restart, a while later). */
    private Runnable afterFaultStop = () -> { };
    /** The disk failures injected before this life began: a stop with no new one is a bug. */
    private long failuresAtStart;
    int crashes;

    SimNode(String id, SimNodeConfig config, Membership initial, SimWorld world, SimNet net, SimStore store,
            SafetyChecks checks) {
        this.id = id;
        this.config = config;
        this.initial = initial;
        this.world = world;
        this.net = net;
        this.store = store;
        this.checks = checks;
    }

    /**
     * Opens the storage and starts the driver, as the same server configuration would after any stop, and
     * returns true; false when a write or fsync the disk was told to fail stopped the start (the server
     * stays down, as a real one would, until it is started again). Any other refusal to open is a failed
     * run: after any crash the simulation allows, a node must come back without manual repair.
     */
    boolean start() {
        life++;
        long failuresBefore = store.injectedFailures();
        try {
            storage = store.open();
            storage.recover();
        } catch (RuntimeException e) {
            if (store.injectedFailures() > failuresBefore) {
                world.trace(id, "START FAILED on the disk fault: " + e);
                store.crash(null);
                storage = null;
                return false;
            }
            throw new SafetyViolationError(id + " refused to open its storage after " + crashes + " crash(es): " + e);
        }
        transport = net.transport(id, this::wake);
        RaftConfig raft = RaftConfig.defaults(id, initial)
                .withTimeouts(config.heartbeatTicks(), config.electionTicks(), config.requestTimeoutTicks())
                .withBatching(64, 8L << 20, 1L << 20, config.snapshotChunkBytes());
        driver = new NodeDriver(raft, storage.raftStorage(), storage.stateMachine(), transport,
                new InMemoryFailoverHistory(20), new DriverSettings(config.tickMillis(), config.requestTimeoutMillis(), config.leaseReads()),
                r -> {
                    throw new IllegalStateException("the simulation runs the loop itself");
                }, new SplittableRandom(world.random.nextLong()))
                .withClock(world.clock)
                .persistInOneTransaction(storage::atomically)
                .snapshotEvery(config.snapshotEvery(), config.snapshotKeep())
                .promoteLearnersWithin(config.learnerLag());
        if (storage.syncsBesideWrites()) {
            // As production does: a leader on the write-ahead log syncs beside its loop, here some turns later.
            driver.syncLeaderWritesBeside(storage::sync);
        }
        try {
            driver.startDriven();
        } catch (Exception e) {
            throw new SafetyViolationError(id + " failed to start: " + e);
        }
        up = true;
        failuresAtStart = store.injectedFailures();
        turnAt = Long.MAX_VALUE; // a turn scheduled in the previous life never runs
        checks.started(this);
        world.trace(id, "start: applied " + storage.stateMachine().appliedIndex() + ", log "
                + storage.log().firstIndex() + ".." + storage.log().lastIndex() + ", " + storage.hardState().load());
        wake();
        return true;
    }

    /** Work was queued for the loop: run a turn now. */
    void wake() {
        scheduleTurn(world.now());
    }

    private void scheduleTurn(long at) {
        if (!up || at >= turnAt) {
            return;
        }
        turnAt = at;
        int scheduledIn = life;
        world.at(at, () -> {
            if (scheduledIn == life && turnAt == at) {
                turn();
            }
        });
    }

    private void turn() {
        turnAt = Long.MAX_VALUE;
        if (!driver.runTurn()) {
            Throwable why = driver.fatalError();
            world.trace(id, "STOPPED: " + why);
            if (store.injectedFailures() == failuresAtStart) {
                throw new SafetyViolationError(id + " stopped on a failure no fault explains: " + why);
            }
            // A write or fsync the disk was told to fail: the process goes down, and what it had not synced
            // is at the mercy of the disk, as after a crash. Its supervisor starts it again.
            crash(store.crashMode(world.random));
            afterFaultStop.run();
            return;
        }
        checks.afterTurn(this);
        scheduleTurn(driver.nextTickNanos());
    }

    /**
     * The process and its connections die; with a {@code mode} the machine loses power too and the disk keeps
     * what the mode says, without one (a killed process) the page cache keeps every write.
     */
    void crash(CrashMode mode) {
        if (!up) {
            return;
        }
        up = false;
        life++;
        crashes++;
        transport.close(); // first: the driver's close below must not look like a graceful leave
        driver.close(); // fails what waits on it, as broken connections fail a real server's callers
        store.crash(mode);
        storage = null;
        driver = null;
        world.trace(id, mode == null ? "KILLED" : "CRASH (" + mode + ")");
    }

    void afterFaultStop(Runnable action) {
        this.afterFaultStop = action;
    }

    /** The disk fails the next write or fsync ({@code op}) of this node's storage. */
    void failNextDiskOperation(SimDisk.Op op) {
        world.trace(id, "DISK will fail the next " + op);
        store.failNext(op);
    }

    /** An operator deletes the data directory of a stopped node. */
    void wipe() {
        if (up) {
            throw new IllegalStateException("wipe a stopped node");
        }
        store.wipe();
        world.trace(id, "WIPED");
    }

    boolean up() {
        return up;
    }

    NodeStatus status() {
        return driver.status();
    }

    LogStore log() {
        return storage.log();
    }

    KvStateMachine state() {
        return storage.stateMachine();
    }

    boolean caughtUp() {
        return storage.hardState().load().caughtUp();
    }

    NodeDriver driver() {
        return driver;
    }

    /** A write as a client's request reaches the node: checked against the node's limits, then replicated. */
    CompletableFuture<KvResult> write(KvCommand command, long clientId, long sequence) {
        config.limits().validate(command);
        return driver.propose(KvCodec.encode(command), clientId, sequence).thenApply(KvCodec::decodeResult);
    }

    CompletableFuture<KvResult> read(KvCommand query, ReadConsistency consistency) {
        KvStateMachine state = storage.stateMachine();
        return driver.read(consistency, () -> state.read(query));
    }
}
