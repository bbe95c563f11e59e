package io.raftstore.node.sim;

import io.raftstore.node.storage.NodeStorage;
import io.raftstore.storage.sim.CrashMode;
import io.raftstore.storage.sim.SimDisk;

import java.nio.file.Path;
import java.util.Random;

/**
 * One node's data directory on a disk of its own ({@link SimDisk}): opened as production opens it
 * ({@link NodeStorage}: write-ahead log, H2 databases, snapshot files), crashed with the process (what was
 * not synced is lost, torn or partly written back), wiped by an operator, or made to fail a write or an
 * fsync. Nothing of an open storage survives a crash but what the disk kept.
 */
final class SimStore {

    private final Path dir;
    private final SimNodeConfig config;
    private final SimWorld world;
    private final SimDisk disk;

    SimStore(Path dir, SimNodeConfig config, SimWorld world, boolean missingFsync) {
        this.dir = dir;
        this.config = config;
        this.world = world;
        this.disk = new SimDisk(world.random.nextLong());
        if (missingFsync) {
            disk.ignoreForce();
        }
    }

    NodeStorage open() {
        return NodeStorage.open(disk, world.clock::nanoTime, dir, config.storage());
    }

    /** How many writes or fsyncs the disk was made to fail so far. */
    long injectedFailures() {
        return disk.injectedFailures();
    }

    /** The next write or fsync fails, whichever comes first. */
    void failNext(SimDisk.Op op) {
        disk.failNext(op);
    }

    CrashMode crashMode(Random random) {
        return CrashMode.values()[random.nextInt(CrashMode.values().length)];
    }

    /** The process dies; with a {@code mode} the power goes too and the disk keeps what the mode says. */
    void crash(CrashMode mode) {
        if (mode == null) {
            disk.killProcess();
        } else {
            disk.crash(mode);
        }
    }

    void wipe() {
        disk.wipe(dir);
    }
}
