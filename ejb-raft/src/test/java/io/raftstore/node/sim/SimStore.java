package io.raftstore.node.sim;

import io.raftstore.storage.h2.H2Storage;
import io.raftstore.storage.sim.CrashMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/** One node's data directory and the disk under it. (Interim: real files, a crash keeps the page cache.) */
final class SimStore {

    private final Path dir;
    private final SimNodeConfig config;
    private final SimWorld world;
    private H2Storage open;

    SimStore(Path dir, SimNodeConfig config, SimWorld world) {
        this.dir = dir;
        this.config = config;
        this.world = world;
    }

    H2Storage open() {
        open = H2Storage.open(dir, config.storage());
        return open;
    }

    /** How many writes or fsyncs the disk was made to fail so far. */
    long injectedFailures() {
        return 0;
    }

    CrashMode crashMode(Random random) {
        return CrashMode.values()[random.nextInt(CrashMode.values().length)];
    }

    void crash(CrashMode mode) {
        if (open != null) {
            open.close();
            open = null;
        }
    }

    void wipe() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path dir() {
        return dir;
    }
}
