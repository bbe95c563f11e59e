package io.raftstore.bench;

import io.raftstore.core.LogEntry;
import io.raftstore.kv.KvCodec;
import io.raftstore.kv.KvCommand;
import io.raftstore.node.storage.NodeStorage;
import io.raftstore.storage.h2.H2StorageConfig;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * Storage throughput (issue 3): durable log appends of 100-byte entries in batches of 1, 16 and 256
 * against the disk's raw {@code FileChannel.write + force} rate, and durable apply throughput of put
 * commands. Every H2 batch is one commit and one fsync (plus the watermark's fsync at most once a
 * second), so commits/s is the fsync rate.
 *
 * <p>System properties: {@code bench.seconds} (per measurement, default 3), {@code bench.warmup} (seconds, default 5), {@code bench.dir} (where the
 * files go; default a temporary directory, which must be on the disk being measured).
 */
public final class StorageBenchmark {
    private static final int ENTRY_BYTES = 100;
    private static final int[] BATCHES = {1, 16, 256};
    /** JIT warm-up before each measurement: on a busy 2-core machine compilation takes seconds. */
    private static final long WARMUP_NANOS =
            (long) (Double.parseDouble(System.getProperty("bench.warmup", "5")) * 1e9);

    private StorageBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "3"));
        Path base = Files.createTempDirectory(Path.of(System.getProperty("bench.dir",
                System.getProperty("java.io.tmpdir"))), "raftstore-bench");
        System.out.printf(Locale.ROOT, "storage benchmark: %s s per measurement, files in %s, %d cores, java %s%n",
                seconds, base, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        try {
            raw(base, 0.5, false); // warm-up
            // The machine may be shared: each H2 measurement is paired with a raw measurement taken just before
            // it, and the ratio uses that one.
            for (int batch : BATCHES) {
                double raw = raw(base, 1, false);
                double[] r = appends(base.resolve("append-" + batch), batch, seconds);
                System.out.printf(Locale.ROOT, "%-28s %9.0f entries/s %7.0f fsyncs/s | raw force loop %6.0f/s | "
                        + "fsync ratio %.2f%n", "H2 log append, batch " + batch, r[0], r[1], raw, r[1] / raw);
            }
            for (int batch : BATCHES) {
                double raw = raw(base, 1, false);
                double[] r = applies(base.resolve("apply-" + batch), batch, seconds);
                System.out.printf(Locale.ROOT, "%-28s %9.0f puts/s    %7.0f fsyncs/s | raw force loop %6.0f/s | "
                        + "fsync ratio %.2f%n", "KV apply of puts, batch " + batch, r[0], r[1], raw, r[1] / raw);
            }
            System.out.printf(Locale.ROOT, "%-28s %9.0f fsyncs/s (force(true), for reference)%n", "raw force loop",
                    raw(base, 1, true));
        } finally {
            try (Stream<Path> files = Files.walk(base)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The disk's limit: appending 100 bytes and forcing it, in a loop. */
    private static double raw(Path base, double runSeconds, boolean metadata) throws IOException {
        Path file = base.resolve("raw-" + System.nanoTime());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocate(ENTRY_BYTES);
            long n = 0;
            long start = System.nanoTime();
            long end = start + (long) (runSeconds * 1e9);
            while (System.nanoTime() < end) {
                buf.clear();
                ch.write(buf);
                ch.force(metadata);
                n++;
            }
            return n / ((System.nanoTime() - start) / 1e9);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static List<LogEntry> batch(long from, int size, byte[] payloadTemplate, boolean puts) {
        List<LogEntry> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            long index = from + i;
            byte[] data = puts ? KvCodec.encode(new KvCommand.Put("key-" + index, payloadTemplate)) : payloadTemplate;
            out.add(LogEntry.command(1, index, data));
        }
        return out;
    }

    /** {entries/s, commits/s} of durable appends. */
    private static double[] appends(Path dir, int size, double seconds) {
        // No compaction here: removing a large prefix inside the measured window would distort it.
        return timed(dir, size, seconds, false, (s, batch) -> s.log().append(batch));
    }

    /** {puts/s, commits/s} of durable applies of put commands (each entry a put of a new 100-byte value). */
    private static double[] applies(Path dir, int size, double seconds) {
        return timed(dir, size, seconds, true, (s, batch) -> s.stateMachine().apply(batch));
    }

    /** Runs {@code write} on batches of {@code size} entries, warm-up first; {entries/s, commits/s}. */
    private static double[] timed(Path dir, int size, double seconds, boolean puts,
                                  BiConsumer<NodeStorage, List<LogEntry>> write) {
        try (NodeStorage s = NodeStorage.open(dir, H2StorageConfig.DEFAULT)) {
            byte[] payload = new byte[ENTRY_BYTES];
            long index = 1;
            long commits = 0;
            long warmEnd = System.nanoTime() + WARMUP_NANOS;
            long start = 0;
            long startIndex = 0;
            while (true) {
                long now = System.nanoTime();
                if (start == 0 && now >= warmEnd) {
                    start = now;
                    startIndex = index;
                    commits = 0;
                }
                if (start != 0 && now - start >= seconds * 1e9) {
                    break;
                }
                write.accept(s, batch(index, size, payload, puts));
                index += size;
                commits++;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            return new double[] {(index - startIndex) / elapsed, commits / elapsed};
        }
    }
}
