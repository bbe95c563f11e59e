package io.raftstore.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Forcing to disk what the stores wrote through other means than an open channel of their own. */
public final class Fsync {
    private Fsync() {
    }

    /**
     * Makes a rename, a new file or a deletion in {@code dir} durable: on Linux a directory entry is only on
     * disk once the directory itself is synced.
     */
    public static void directory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** Forces the content and metadata of a file written by someone else (a copy, a {@code Writer}). */
    public static void file(Path file) throws IOException {
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.WRITE)) {
            f.force(true);
        }
    }
}
