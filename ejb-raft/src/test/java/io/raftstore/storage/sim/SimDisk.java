package io.raftstore.storage.sim;

import io.raftstore.storage.Disk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A simulated disk for code written against {@link Disk}: files in memory whose unsynced writes a
 * {@link #crash} loses, tears or writes back in any order ({@link CrashMode}), drawn from one seed, and which
 * fails a write or an fsync with an {@link IOException} on demand. A file's creation or deletion lasts a crash
 * only once its directory was synced; directories themselves are durable at once.
 *
 * <p>Not thread-safe: one test thread drives it, as one event loop drives the write-ahead log.
 */
public final class SimDisk implements Disk {

    /** An operation that may be made to fail. */
    public enum Op { WRITE, FORCE }

    private final Random random;
    private final Set<Path> directories = new HashSet<>();
    /** The files as they are now (what a listing or an open sees). */
    private final Map<Path, SimFile> files = new TreeMap<>();
    /** The files as the last sync of their directory left them. */
    private final Map<Path, SimFile> durableFiles = new TreeMap<>();
    private final Map<Op, Double> failureRates = new EnumMap<>(Op.class);
    private final Set<Op> failNext = EnumSet.noneOf(Op.class);
    /** Channels opened before the latest crash are dead. */
    private int generation;
    private int crashes;

    public SimDisk(long seed) {
        this.random = new Random(seed);
    }

    /** From now on each {@code op} fails with this probability (0 turns it off). */
    public SimDisk failing(Op op, double probability) {
        failureRates.put(op, probability);
        return this;
    }

    /** The next {@code op}, on any file, fails. */
    public SimDisk failNext(Op op) {
        failNext.add(op);
        return this;
    }

    /** A crash (power loss) with a mode drawn from the seed. */
    public CrashMode crash() {
        CrashMode mode = CrashMode.values()[random.nextInt(CrashMode.values().length)];
        crash(mode);
        return mode;
    }

    /** A crash: every open channel dies, unsynced directory changes may or may not last, files keep what {@code mode} says. */
    public void crash(CrashMode mode) {
        generation++;
        crashes++;
        Set<Path> names = new TreeSet<>(files.keySet());
        names.addAll(durableFiles.keySet());
        for (Path name : names) {
            SimFile now = files.get(name);
            SimFile then = durableFiles.get(name);
            SimFile kept = now == then || mode == CrashMode.LOSE_UNSYNCED || (mode != CrashMode.TEAR_LAST_WRITE
                    && random.nextBoolean()) ? then : now;
            if (kept == null) {
                files.remove(name);
                durableFiles.remove(name);
            } else {
                files.put(name, kept);
                durableFiles.put(name, kept);
            }
        }
        files.values().forEach(f -> f.crash(mode, random));
    }

    public int crashes() {
        return crashes;
    }

    /** The current bytes of {@code file} (what a read sees), for tests that look at or damage a file. */
    public byte[] bytes(Path file) {
        SimFile f = files.get(file);
        byte[] out = new byte[f.size()];
        f.read(0, out, out.length);
        return out;
    }

    // ---- Disk ----

    @Override
    public void createDirectories(Path dir) {
        for (Path d = dir; d != null; d = d.getParent()) {
            directories.add(d);
        }
    }

    @Override
    public List<Path> list(Path dir, String glob) throws IOException {
        requireDirectory(dir);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        List<Path> out = new ArrayList<>();
        for (Path f : files.keySet()) {
            if (dir.equals(f.getParent()) && matcher.matches(f.getFileName())) {
                out.add(f);
            }
        }
        return out;
    }

    @Override
    public FileChannel open(Path file, boolean createNew) throws IOException {
        requireDirectory(file.getParent());
        SimFile f = files.get(file);
        if (createNew && f != null) {
            throw new FileAlreadyExistsException(file.toString());
        }
        if (!createNew && f == null) {
            throw new NoSuchFileException(file.toString());
        }
        if (f == null) {
            f = new SimFile();
            files.put(file, f);
        }
        return new SimFileChannel(this, file, f, generation);
    }

    @Override
    public void delete(Path file) {
        files.remove(file);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        requireDirectory(dir);
        maybeFail(Op.FORCE, dir);
        durableFiles.keySet().removeIf(f -> dir.equals(f.getParent()) && !files.containsKey(f));
        files.forEach((name, f) -> {
            if (dir.equals(name.getParent())) {
                durableFiles.put(name, f);
            }
        });
    }

    // ---- for the channels ----

    boolean alive(int channelGeneration) {
        return channelGeneration == generation;
    }

    Random random() {
        return random;
    }

    /** Throws when {@code op} is to fail now (once for {@link #failNext}, else by its rate). */
    void maybeFail(Op op, Path file) throws IOException {
        double rate = failureRates.getOrDefault(op, 0.0);
        if (failNext.remove(op) || (rate > 0 && random.nextDouble() < rate)) {
            throw new IOException("simulated " + op.name().toLowerCase() + " failure on " + file);
        }
    }

    private void requireDirectory(Path dir) throws IOException {
        if (dir == null || !directories.contains(dir)) {
            throw new NoSuchFileException(String.valueOf(dir));
        }
    }
}
