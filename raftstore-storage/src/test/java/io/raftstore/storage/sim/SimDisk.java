package io.raftstore.storage.sim;

import io.raftstore.storage.Disk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A simulated disk for code written against {@link Disk}: files in memory whose unsynced writes a
 * {@link #crash} loses, tears or writes back in any order ({@link CrashMode}), drawn from one seed, and which
 * fails a write or an fsync with an {@link IOException} on demand. H2 opens its database files here too, through
 * the name {@link #h2FileName} gives ({@link SimFilePath}).
 *
 * <p>Directory entries are as on Linux: the creation, deletion or rename of a file or of a directory lasts a
 * crash only once the directory holding it was synced ({@link #syncDirectory}), and a rename is kept or undone
 * whole. A crash keeps or undoes each unsynced change as it does a file's unsynced writes: undoes every one
 * with {@link CrashMode#LOSE_UNSYNCED}, keeps every one with {@link CrashMode#TEAR_LAST_WRITE}, and decides
 * each by the seed otherwise. A directory whose creation is undone vanishes with everything beneath it, synced
 * or not (a file synced into a directory that never reached its parent is lost with it); a directory whose
 * deletion is undone comes back, holding whichever of its files' deletions were undone too. A root (a path
 * without a parent) has nothing to be synced into and lasts at once.
 *
 * <p>A crash can also come in the middle of an operation: after {@link #crashAfter}, the n-th change to the
 * disk and everything after it throw {@link PowerLoss} until {@link #crash}, so the code under test stops
 * wherever it was, as a machine does when its power goes.
 *
 * <p>Not thread-safe: one test thread drives it, as one event loop drives a node's storage.
 */
public final class SimDisk implements Disk {

    /** An operation that may be made to fail. */
    public enum Op { WRITE, FORCE }

    /**
     * The power went ({@link #crashAfter}): thrown by every operation on this disk until {@link #crash}. An
     * {@link Error}, so that the storage code does not take it for an I/O error it could handle.
     */
    public static final class PowerLoss extends Error {
        PowerLoss(String where) {
            super("simulated power loss at " + where, null, false, false);
        }
    }

    /** A rename not yet made durable: a crash keeps or undoes every name of its {@code group} together. */
    private record UnsyncedRename(Object group, Path settledBy) {
    }

    private final Random random;
    /** The directories as they are now. */
    private final Set<Path> directories = new TreeSet<>();
    /** The directories as the last sync of their parents left them. */
    private final Set<Path> durableDirectories = new TreeSet<>();
    /** The files as they are now (what a listing or an open sees). */
    private final Map<Path, SimFile> files = new TreeMap<>();
    /** The files as the last sync of their directory left them. */
    private final Map<Path, SimFile> durableFiles = new TreeMap<>();
    /** The names (of files and directories) that renames changed since their directory was last synced. */
    private final Map<Path, UnsyncedRename> unsyncedRenames = new HashMap<>();
    private final Map<Op, Double> failureRates = new EnumMap<>(Op.class);
    private final Set<Op> failNext = EnumSet.noneOf(Op.class);
    /** Channels opened before the latest crash are dead. */
    private int generation;
    private int crashes;
    /** Changes left before the power goes, or 0 when no loss is scheduled. */
    private long changesUntilPowerLoss;
    private boolean poweredOff;
    /** Writes and fsyncs made to fail so far. */
    private long injectedFailures;
    /** A disk (or code) that never makes anything durable: fsyncs return at once and do nothing. */
    private boolean ignoringForce;
    /** The prefix of the names H2 opens this disk's files by, once registered. */
    private String h2Prefix;

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

    /**
     * The power goes just before the {@code changes}-th change to the disk from now (a write, truncation, fsync,
     * creation, deletion or rename): that one and every operation after it throw {@link PowerLoss}.
     */
    public SimDisk crashAfter(long changes) {
        if (changes < 1) {
            throw new IllegalArgumentException("changes " + changes);
        }
        changesUntilPowerLoss = changes;
        return this;
    }

    /** True once a {@link #crashAfter} struck and until the {@link #crash} that follows. */
    public boolean poweredOff() {
        return poweredOff;
    }

    /**
     * The process that used this disk dies (kill -9) but the machine keeps running: its channels and locks die,
     * and the page cache keeps every write, synced or not (a later {@link #crash} may still lose what was not).
     */
    public void killProcess() {
        generation++;
    }

    /** How many writes and fsyncs were made to fail so far ({@link #failNext}, {@link #failing}). */
    public long injectedFailures() {
        return injectedFailures;
    }

    /**
     * From now on every fsync of a file or directory succeeds without making anything durable: a missing
     * {@code force()}, planted to show that a test notices.
     */
    public SimDisk ignoreForce() {
        ignoringForce = true;
        return this;
    }

    /** A crash (power loss) with a mode drawn from the seed. */
    public CrashMode crash() {
        CrashMode mode = CrashMode.values()[random.nextInt(CrashMode.values().length)];
        crash(mode);
        return mode;
    }

    /**
     * A crash: every open channel dies (and with it its locks), unsynced directory changes may or may not last
     * (a rename whole; see the class comment), files keep what {@code mode} says. The power is back on
     * afterwards.
     */
    public void crash(CrashMode mode) {
        generation++;
        crashes++;
        poweredOff = false;
        changesUntilPowerLoss = 0;
        Set<Path> names = new TreeSet<>(files.keySet());
        names.addAll(durableFiles.keySet());
        Map<Object, Boolean> undoneRenames = new HashMap<>();
        for (Path name : names) {
            SimFile now = files.get(name);
            SimFile then = durableFiles.get(name);
            SimFile kept = now != then && undone(name, mode, undoneRenames) ? then : now;
            if (kept == null) {
                files.remove(name);
                durableFiles.remove(name);
            } else {
                files.put(name, kept);
                durableFiles.put(name, kept);
            }
        }
        Set<Path> dirNames = new TreeSet<>(directories);
        dirNames.addAll(durableDirectories);
        for (Path dir : dirNames) {
            boolean now = directories.contains(dir);
            boolean kept = now != durableDirectories.contains(dir) && undone(dir, mode, undoneRenames) ? !now : now;
            if (kept) {
                directories.add(dir);
            } else {
                directories.remove(dir);
            }
        }
        // Sorted, a parent comes before its children: a directory that did not last takes its whole tree along.
        for (Path dir : new ArrayList<>(directories)) {
            if (dir.getParent() != null && !directories.contains(dir.getParent())) {
                directories.remove(dir);
            }
        }
        durableDirectories.clear();
        durableDirectories.addAll(directories);
        files.keySet().removeIf(f -> !directories.contains(f.getParent()));
        durableFiles.keySet().retainAll(files.keySet());
        unsyncedRenames.clear();
        files.values().forEach(f -> f.crash(mode, random));
    }

    /** Whether a crash undoes the unsynced change of {@code name}: with the rest of its rename, if it is one. */
    private boolean undone(Path name, CrashMode mode, Map<Object, Boolean> undoneRenames) {
        UnsyncedRename rename = unsyncedRenames.get(name);
        return rename == null ? undone(mode) : undoneRenames.computeIfAbsent(rename.group(), g -> undone(mode));
    }

    /** Whether a crash undoes one unsynced directory change. */
    private boolean undone(CrashMode mode) {
        return mode == CrashMode.LOSE_UNSYNCED || (mode != CrashMode.TEAR_LAST_WRITE && random.nextBoolean());
    }

    /**
     * An operator deletes the directory {@code dir} and everything under it, durably (as {@code rm -rf} and a
     * sync). Channels still open keep their files, as unlinked files on Linux.
     */
    public void wipe(Path dir) {
        files.keySet().removeIf(p -> p.startsWith(dir));
        durableFiles.keySet().removeIf(p -> p.startsWith(dir));
        unsyncedRenames.keySet().removeIf(p -> p.startsWith(dir));
        directories.removeIf(p -> p.startsWith(dir));
        durableDirectories.removeIf(p -> p.startsWith(dir));
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

    /** Each directory created is a change ({@link #crashAfter}), durable once its parent is synced. */
    @Override
    public void createDirectories(Path dir) {
        power(dir);
        List<Path> missing = new ArrayList<>();
        for (Path d = dir; d != null && !directories.contains(d); d = d.getParent()) {
            missing.add(0, d);
        }
        for (Path d : missing) {
            change(d);
            directories.add(d);
            if (d.getParent() == null) {
                durableDirectories.add(d); // a root: there is no parent to sync it into
            }
        }
    }

    @Override
    public boolean exists(Path path) {
        power(path);
        return files.containsKey(path) || directories.contains(path);
    }

    @Override
    public boolean isDirectory(Path path) {
        power(path);
        return directories.contains(path);
    }

    @Override
    public long size(Path file) throws IOException {
        return existing(file).size();
    }

    @Override
    public List<Path> list(Path dir, String glob) throws IOException {
        requireDirectory(dir);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        Set<Path> out = new TreeSet<>();
        for (Set<Path> entries : List.of(files.keySet(), directories)) {
            for (Path p : entries) {
                if (dir.equals(p.getParent()) && matcher.matches(p.getFileName())) {
                    out.add(p);
                }
            }
        }
        return new ArrayList<>(out);
    }

    @Override
    public FileChannel open(Path file, boolean createNew) throws IOException {
        requireDirectory(file.getParent());
        SimFile f = files.get(file);
        if (createNew && (f != null || directories.contains(file))) {
            throw new FileAlreadyExistsException(file.toString());
        }
        if (!createNew && f == null) {
            throw new NoSuchFileException(file.toString());
        }
        if (f == null) {
            change(file);
            f = new SimFile();
            files.put(file, f);
        }
        return new SimFileChannel(this, file, f, generation, true);
    }

    @Override
    public FileChannel openReadOnly(Path file) throws IOException {
        return new SimFileChannel(this, file, existing(file), generation, false);
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        requireDirectory(to.getParent());
        if (directories.contains(from) ? files.containsKey(to) : directories.contains(to)) {
            throw new FileSystemException(from.toString(), to.toString(), "a file and a directory do not replace each other");
        }
        if (files.containsKey(from)) {
            change(from);
            files.put(to, files.remove(from));
            unsynced(List.of(from, to), to.getParent());
        } else if (directories.contains(from)) {
            if (to.startsWith(from) || files.keySet().stream().anyMatch(p -> p.startsWith(to))
                    || directories.stream().anyMatch(p -> p.startsWith(to) && !p.equals(to))) {
                throw new DirectoryNotEmptyException(to.toString());
            }
            change(from);
            List<Path> names = new ArrayList<>();
            for (Path p : new ArrayList<>(files.keySet())) {
                if (p.startsWith(from)) {
                    Path moved = to.resolve(from.relativize(p));
                    files.put(moved, files.remove(p));
                    names.add(p);
                    names.add(moved);
                }
            }
            for (Path d : new ArrayList<>(directories)) {
                if (d.startsWith(from)) {
                    Path moved = to.resolve(from.relativize(d));
                    directories.remove(d);
                    directories.add(moved);
                    names.add(d);
                    names.add(moved);
                }
            }
            unsynced(names, to.getParent());
        } else {
            throw new NoSuchFileException(from.toString());
        }
    }

    /** Marks {@code names} as changed together by one rename, durable once {@code settledBy} is synced. */
    private void unsynced(List<Path> names, Path settledBy) {
        Object group = new Object();
        Set<Object> joined = new HashSet<>(); // renames of the same names are kept or undone together
        names.forEach(n -> {
            UnsyncedRename earlier = unsyncedRenames.get(n);
            if (earlier != null) {
                joined.add(earlier.group());
            }
        });
        unsyncedRenames.replaceAll((n, r) -> joined.contains(r.group()) ? new UnsyncedRename(group, r.settledBy()) : r);
        names.forEach(n -> unsyncedRenames.put(n, new UnsyncedRename(group, settledBy)));
    }

    @Override
    public void delete(Path path) throws IOException {
        if (directories.contains(path)) {
            if (!list(path, "*").isEmpty()) {
                throw new DirectoryNotEmptyException(path.toString());
            }
            change(path);
            directories.remove(path);
        } else if (files.containsKey(path)) {
            change(path);
            files.remove(path);
        } else {
            power(path);
        }
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        requireDirectory(dir);
        change(dir);
        maybeFail(Op.FORCE, dir);
        if (ignoringForce) {
            return;
        }
        Set<Path> fileNames = new TreeSet<>(durableFiles.keySet());
        fileNames.addAll(files.keySet());
        for (Path name : fileNames) {
            if (settles(dir, name)) {
                SimFile now = files.get(name);
                if (now == null) {
                    durableFiles.remove(name);
                } else {
                    durableFiles.put(name, now);
                }
                unsyncedRenames.remove(name);
            }
        }
        Set<Path> dirNames = new TreeSet<>(durableDirectories);
        dirNames.addAll(directories);
        for (Path d : dirNames) {
            if (settles(dir, d)) {
                if (directories.contains(d)) {
                    durableDirectories.add(d);
                } else {
                    durableDirectories.remove(d);
                }
                unsyncedRenames.remove(d);
            }
        }
    }

    /** Whether syncing {@code dir} makes the latest change of {@code name} durable: it is in there, or moved there. */
    private boolean settles(Path dir, Path name) {
        UnsyncedRename rename = unsyncedRenames.get(name);
        return dir.equals(name.getParent()) || (rename != null && dir.equals(rename.settledBy()));
    }

    /** The H2 file name of {@code file} on this disk: {@code simdisk:<id>:<path>}, registered with H2 on first use. */
    @Override
    public String h2FileName(Path file) {
        if (h2Prefix == null) {
            h2Prefix = SimFilePath.register(this);
        }
        return h2Prefix + file;
    }

    // ---- for the channels ----

    boolean alive(int channelGeneration) {
        return channelGeneration == generation;
    }

    boolean forceIgnored() {
        return ignoringForce;
    }

    Random random() {
        return random;
    }

    /** Throws {@link PowerLoss} when the power is off. */
    void power(Object where) {
        if (poweredOff) {
            throw new PowerLoss(String.valueOf(where));
        }
    }

    /** Called before each change to the disk: counts down to a scheduled power loss. */
    void change(Object where) {
        power(where);
        if (changesUntilPowerLoss > 0 && --changesUntilPowerLoss == 0) {
            poweredOff = true;
            power(where);
        }
    }

    /** Throws when {@code op} is to fail now (once for {@link #failNext}, else by its rate). */
    void maybeFail(Op op, Path file) throws IOException {
        double rate = failureRates.getOrDefault(op, 0.0);
        if (failNext.remove(op) || (rate > 0 && random.nextDouble() < rate)) {
            injectedFailures++;
            throw new IOException("simulated " + op.name().toLowerCase(Locale.ROOT) + " failure on " + file);
        }
    }

    private SimFile existing(Path file) throws NoSuchFileException {
        power(file);
        SimFile f = files.get(file);
        if (f == null) {
            throw new NoSuchFileException(file.toString());
        }
        return f;
    }

    private void requireDirectory(Path dir) throws IOException {
        power(dir);
        if (dir == null || !directories.contains(dir)) {
            throw new NoSuchFileException(String.valueOf(dir));
        }
    }
}
