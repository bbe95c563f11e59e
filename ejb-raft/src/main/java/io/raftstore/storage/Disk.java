package io.raftstore.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * The file operations of the write-ahead log, as one narrow seam: production code runs on {@link #REAL} (the
 * JDK's {@link FileChannel} and {@link java.nio.file.Files}, unchanged), while a test can put a simulated disk
 * here that loses, tears and reorders unsynced writes at a crash and fails a write or an fsync on demand.
 *
 * <p>Everything written through a channel is durable only once that channel is forced; a file's creation or
 * deletion only once its directory is synced ({@link #syncDirectory}), as on Linux.
 */
public interface Disk {

    /** The real file system. */
    Disk REAL = new RealDisk();

    /** Creates {@code dir} and its missing parents (no-op when it exists). */
    void createDirectories(Path dir) throws IOException;

    /** The files in {@code dir} whose names match {@code glob} (as {@link java.nio.file.Files#newDirectoryStream}). */
    List<Path> list(Path dir, String glob) throws IOException;

    /**
     * Opens {@code file} for reading and writing.
     *
     * @param createNew create it, failing when it exists; otherwise it must exist
     */
    FileChannel open(Path file, boolean createNew) throws IOException;

    /** Deletes {@code file} if it exists. */
    void delete(Path file) throws IOException;

    /** Makes the creations and deletions of files in {@code dir} durable. */
    void syncDirectory(Path dir) throws IOException;
}
