package io.raftstore.ejb.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Bytes in a data directory by part, taken when scraped. The directory holds a few dozen files (log segments,
 * two databases, the latest snapshots), so walking it costs microseconds; a file deleted during the walk (a
 * compacted segment) counts as gone.
 */
final class DataSizes {

    /** The parts of a data directory (docs/storage.md). */
    enum Part {
        WAL("wal"), STATE("state"), SNAPSHOTS("snapshots"), OTHER(null);

        private final String directory;

        Part(String directory) {
            this.directory = directory;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Part of(Path dataDir, Path file) {
            Path top = dataDir.relativize(file).getName(0);
            for (Part p : values()) {
                if (p.directory != null && p.directory.equals(top.toString())) {
                    return p;
                }
            }
            return OTHER;
        }
    }

    private final Map<Part, Long> bytes;

    private DataSizes(Map<Part, Long> bytes) {
        this.bytes = bytes;
    }

    static DataSizes of(Path dataDir) {
        Map<Part, Long> bytes = new EnumMap<>(Part.class);
        for (Part p : Part.values()) {
            bytes.put(p, 0L);
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.filter(Files::isRegularFile).forEach(f -> bytes.merge(Part.of(dataDir, f), size(f), Long::sum));
        } catch (NoSuchFileException e) {
            return new DataSizes(bytes);
        } catch (IOException | UncheckedIOException e) {
            // A directory removed during the walk (an old snapshot): the next scrape sees the settled state.
            return new DataSizes(bytes);
        }
        return new DataSizes(bytes);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    long bytes(Part part) {
        return bytes.get(part);
    }

    static long usableSpace(Path dataDir) {
        try {
            return Files.getFileStore(dataDir).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long totalSpace(Path dataDir) {
        try {
            return Files.getFileStore(dataDir).getTotalSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
