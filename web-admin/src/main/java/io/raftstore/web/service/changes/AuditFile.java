package io.raftstore.web.service.changes;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * The audit list on disk, so that it outlives a restart: one JSON object per line, each appended and forced
 * to disk before {@link #append} returns. The file is rewritten with the latest entries once it holds twice
 * as many as are kept, so it stays small; the server log keeps every entry for good.
 *
 * <p>A crash can leave a torn last line: {@link #load} skips any line it cannot read, with a warning.
 */
final class AuditFile {

    private static final Logger LOG = Logger.getLogger(AuditFile.class.getName());

    private final Path file;
    private final int keep;
    /** Lines in the file, counted so that it is rewritten before it grows past twice {@link #keep}. */
    private int lines;

    AuditFile(Path file, int keep) {
        this.file = file;
        this.keep = keep;
    }

    Path path() {
        return file;
    }

    /** The latest {@link #keep} entries, oldest first; none when the file does not exist yet. */
    List<AuditEntry> load() throws IOException {
        Deque<AuditEntry> latest = new ArrayDeque<>();
        if (!Files.exists(file)) {
            return List.of();
        }
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                latest.addLast(decode(line));
            } catch (JsonException | ClassCastException | DateTimeParseException e) {
                LOG.warning("audit file " + file + " line " + number + " is unreadable and skipped (" + e + ")");
                continue;
            }
            if (latest.size() > keep) {
                latest.removeFirst();
            }
        }
        lines = number;
        return new ArrayList<>(latest);
    }

    /**
     * Appends one entry and forces it to disk; once the file holds twice {@link #keep} lines, rewrites it with
     * {@code latest} (oldest first, the new entry included) instead.
     */
    void append(AuditEntry entry, List<AuditEntry> latest) throws IOException {
        if (lines + 1 >= 2 * keep) {
            rewrite(latest);
            return;
        }
        Files.createDirectories(Objects.requireNonNull(file.toAbsolutePath().getParent(), "a file has a directory"));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            write(channel, encode(entry) + "\n");
            channel.force(true);
        }
        lines++;
    }

    /** Writes a new file beside the old one and moves it over, so a crash leaves one or the other whole. */
    private void rewrite(List<AuditEntry> latest) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        StringBuilder text = new StringBuilder();
        for (AuditEntry e : latest) {
            text.append(encode(e)).append('\n');
        }
        try (FileChannel channel = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            write(channel, text.toString());
            channel.force(true);
        }
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        lines = latest.size();
    }

    private static void write(FileChannel channel, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    static String encode(AuditEntry e) {
        return e.toJson().toString();
    }

    static AuditEntry decode(String line) {
        try (JsonReader r = Json.createReader(new StringReader(line))) {
            return AuditEntry.fromJson(r.readObject());
        }
    }
}
