package io.raftstore.storage.sim;

import org.h2.store.fs.FilePath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * H2's file layer onto {@link SimDisk}s, so that an MVStore's file lives on a simulated disk. H2 finds a file
 * system by the scheme before the first colon of a file name; names here are {@code simdisk:<id>:<path>},
 * where {@code <id>} picks one of the disks registered by {@link #register} (each
 * {@link SimDisk#h2FileName} registers its disk on first use) and {@code <path>} is the file's path on it.
 *
 * <p>The registry holds disks weakly, so a long run of tests does not keep every disk it made; a name whose
 * disk was collected fails. The MVStore uses {@link #open}, {@link #exists}, {@link #getParent} and
 * {@link #canWrite} of this class, then only its channel (positional reads and writes, size, truncate, force,
 * tryLock).
 */
public final class SimFilePath extends FilePath {
    static final String SCHEME = "simdisk";

    private static final Map<Long, WeakReference<SimDisk>> DISKS = new HashMap<>();
    private static final Pattern DISK_ID = Pattern.compile(SCHEME + ":[0-9]+:");
    private static long lastId;

    static {
        FilePath.register(new SimFilePath(SCHEME + ":0:/"));
    }

    private SimFilePath(String name) {
        this.name = name;
    }

    /**
     * {@code text} with every file name's registration id left out ({@code simdisk:<path>}): the ids count the
     * disks registered in this JVM, so the same seeded run names its files differently the second time.
     */
    public static String withoutDiskIds(String text) {
        return DISK_ID.matcher(text).replaceAll(SCHEME + ":");
    }

    /** Registers {@code disk} and returns the prefix of its files' H2 names ({@code simdisk:<id>:}). */
    static synchronized String register(SimDisk disk) {
        DISKS.values().removeIf(ref -> ref.get() == null);
        long id = ++lastId;
        DISKS.put(id, new WeakReference<>(disk));
        return SCHEME + ":" + id + ":";
    }

    private int pathStart() {
        return name.indexOf(':', SCHEME.length() + 1) + 1;
    }

    private SimDisk disk() {
        long id = Long.parseLong(name.substring(SCHEME.length() + 1, pathStart() - 1));
        SimDisk disk;
        synchronized (SimFilePath.class) {
            WeakReference<SimDisk> ref = DISKS.get(id);
            disk = ref == null ? null : ref.get();
        }
        if (disk == null) {
            throw new IllegalStateException("no simulated disk for " + name);
        }
        return disk;
    }

    private Path path() {
        return Path.of(name.substring(pathStart()));
    }

    private SimFilePath sibling(Path path) {
        return new SimFilePath(name.substring(0, pathStart()) + path);
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        SimDisk disk = disk();
        // "rws" and "rwd" (every write synced) are not simulated; the MVStore opens "rw" or "r".
        return mode.equals("r") ? disk.openReadOnly(path()) : disk.open(path(), !disk.exists(path()));
    }

    @Override
    public boolean exists() {
        return disk().exists(path());
    }

    @Override
    public FilePath getParent() {
        Path parent = path().getParent();
        return parent == null ? null : sibling(parent);
    }

    @Override
    public boolean canWrite() {
        return true;
    }

    @Override
    public long size() {
        try {
            return disk().size(path());
        } catch (IOException e) {
            return 0; // as H2's own file systems answer for a missing file
        }
    }

    @Override
    public boolean isDirectory() {
        return disk().isDirectory(path());
    }

    @Override
    public boolean isRegularFile() {
        return exists() && !isDirectory();
    }

    @Override
    public boolean isAbsolute() {
        return path().isAbsolute();
    }

    @Override
    public void delete() {
        unchecked(() -> disk().delete(path()));
    }

    @Override
    public void moveTo(FilePath newName, boolean atomicReplace) {
        unchecked(() -> disk().move(path(), ((SimFilePath) newName).path()));
    }

    @Override
    public boolean createFile() {
        try {
            disk().open(path(), true).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void createDirectory() {
        disk().createDirectories(path());
    }

    @Override
    public List<FilePath> newDirectoryStream() {
        List<FilePath> out = new ArrayList<>();
        unchecked(() -> disk().list(path(), "*").forEach(p -> out.add(sibling(p))));
        return out;
    }

    @Override
    public FilePath toRealPath() {
        return this;
    }

    @Override
    public long lastModified() {
        return 0; // no clock on a simulated disk
    }

    @Override
    public boolean setReadOnly() {
        return false;
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FilePath getPath(String path) {
        return new SimFilePath(path);
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void unchecked(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
