package io.raftstore.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Every file operation of a node's storage (the write-ahead log, the H2 databases, their watermarks and the
 * snapshot files), as one narrow seam: production code runs on {@link #REAL} (the JDK's {@link FileChannel}
 * and {@link java.nio.file.Files}, unchanged), while a test can put a simulated disk here that loses, tears
 * and reorders unsynced writes at a crash and fails a write or an fsync on demand.
 *
 * <h2>Durability</h2>
 * Everything written through a channel is durable only once that channel is forced; the creation, deletion
 * or renaming of a file or a directory only once the directory holding it is synced ({@link #syncDirectory}),
 * as on Linux. Until then a crash may keep or undo each of them, but undoes a rename whole: the file is under
 * one of its names. A directory whose creation is undone takes everything in it along, however well synced:
 * create directories with {@link #createDirectoriesDurably}.
 *
 * <h2>Thread safety</h2>
 * {@link #REAL} is as thread-safe as the file system. Other implementations may require that one thread
 * drives them (a simulation's), and say so.
 */
public interface Disk {

    /** The real file system. */
    Disk REAL = new RealDisk();

    /**
     * Creates {@code dir} and its missing parents (no-op when it exists), not durably: a crash may undo each
     * creation until the new directory's parent is synced. The storage uses {@link #createDirectoriesDurably}.
     */
    void createDirectories(Path dir) throws IOException;

    /**
     * Creates {@code dir} and its missing parents, as {@link #createDirectories}, and returns once a crash can
     * no longer undo them: the parent of each directory it created is synced, top down, and the parent of
     * {@code dir} also when {@code dir} existed already (an earlier run may have created it and died before that
     * sync, its entry still in the page cache only; a sync with nothing to write costs little).
     */
    default void createDirectoriesDurably(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        Deque<Path> levels = new ArrayDeque<>(); // top down, ending with dir
        levels.push(absolute);
        for (Path p = absolute.getParent(); p != null && p.getParent() != null && !isDirectory(p); p = p.getParent()) {
            levels.push(p);
        }
        createDirectories(absolute);
        for (Path level : levels) {
            if (level.getParent() != null) {
                syncDirectory(level.getParent());
            }
        }
    }

    /** True when {@code path} is a file or a directory. */
    boolean exists(Path path);

    /** True when {@code path} is a directory. */
    boolean isDirectory(Path path);

    /** The length of {@code file} in bytes, as reads see it now. */
    long size(Path file) throws IOException;

    /**
     * The entries of {@code dir} (files and directories) whose names match {@code glob}, as
     * {@link java.nio.file.Files#newDirectoryStream(Path, String)}; in no particular order.
     */
    List<Path> list(Path dir, String glob) throws IOException;

    /**
     * Opens {@code file} for reading and writing.
     *
     * @param createNew create it, failing when it exists; otherwise it must exist
     */
    FileChannel open(Path file, boolean createNew) throws IOException;

    /** Opens the existing {@code file} for reading only. */
    FileChannel openReadOnly(Path file) throws IOException;

    /**
     * Renames {@code from} (a file, or a directory with everything in it) to {@code to} in one atomic step,
     * replacing {@code to} when it is a file or an empty directory. Durable once the directory holding them
     * is synced.
     */
    void move(Path from, Path to) throws IOException;

    /** Deletes {@code path}, a file or an empty directory, if it exists. */
    void delete(Path path) throws IOException;

    /**
     * Deletes {@code path} and, when it is a directory, everything beneath it; nothing when it does not exist.
     * Each directory is synced once emptied and before it is removed, so that no crash brings a file of it back
     * should its name be used again; the removal of {@code path} itself is durable once its parent is synced.
     */
    default void deleteRecursively(Path path) throws IOException {
        if (isDirectory(path)) {
            for (Path child : list(path, "*")) {
                deleteRecursively(child);
            }
            syncDirectory(path);
        }
        delete(path);
    }

    /** Makes the creations, deletions and renames of entries in {@code dir} durable. */
    void syncDirectory(Path dir) throws IOException;

    /**
     * The name under which H2 opens {@code file} through its own file layer ({@code org.h2.store.fs.FilePath}):
     * the plain path on the real disk; a disk of another kind returns a name with a scheme prefix that it has
     * registered with H2, so the H2 database's file lives on it too.
     */
    default String h2FileName(Path file) {
        return file.toString();
    }
}
