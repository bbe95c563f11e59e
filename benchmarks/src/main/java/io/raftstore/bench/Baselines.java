package io.raftstore.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * What one write can never beat on this machine, for the one-client latency target: the median time of the
 * disk's own durable append (100 bytes appended, then {@code force(false)}, as the log does), and of one
 * loopback TCP round trip of 100 bytes each way (Nagle off). Prints one JSON line:
 * {@code {"fsync_us":..,"rtt_us":..}}.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.raftstore.bench.Baselines DIR} (DIR on the disk
 * the nodes use; a scratch file is made there and deleted).
 */
public final class Baselines {
    private static final int SYNCS = 500;
    private static final int ROUND_TRIPS = 5_000;

    private Baselines() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        System.out.printf("{\"fsync_us\":%.1f,\"rtt_us\":%.1f}%n", fsyncMicros(dir), roundTripMicros());
    }

    static double fsyncMicros(Path dir) throws IOException {
        Path file = Files.createTempFile(dir, "fsync", ".bench");
        long[] took = new long[SYNCS];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer record = ByteBuffer.allocate(100);
            for (int i = 0; i < SYNCS; i++) {
                record.clear();
                long t0 = System.nanoTime();
                ch.write(record);
                ch.force(false);
                took[i] = System.nanoTime() - t0;
            }
        } finally {
            Files.deleteIfExists(file);
        }
        return median(took);
    }

    static double roundTripMicros() throws IOException, InterruptedException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.setTcpNoDelay(true);
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    byte[] b = new byte[100];
                    for (int i = 0; i < ROUND_TRIPS; i++) {
                        in.readFully(b);
                        out.write(b);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("echo failed", e);
                }
            }, "echo");
            echo.start();
            long[] took = new long[ROUND_TRIPS];
            try (Socket c = new Socket(server.getInetAddress(), server.getLocalPort())) {
                c.setTcpNoDelay(true);
                OutputStream out = c.getOutputStream();
                DataInputStream in = new DataInputStream(c.getInputStream());
                byte[] b = new byte[100];
                for (int i = 0; i < ROUND_TRIPS; i++) {
                    long t0 = System.nanoTime();
                    out.write(b);
                    in.readFully(b);
                    took[i] = System.nanoTime() - t0;
                }
            }
            echo.join(10_000);
            return median(took);
        }
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e3;
    }
}
