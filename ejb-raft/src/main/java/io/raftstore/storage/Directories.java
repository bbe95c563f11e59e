package io.raftstore.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** File-system steps the stores share. */
public final class Directories {
    private Directories() {
    }

    /**
     * Makes a rename, a new file or a deletion in {@code dir} durable: on Linux a directory entry is only on
     * disk once the directory itself is synced.
     */
    public static void fsync(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
