package io.raftstore.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

/**
 * N client threads each issue one write, wait for its acknowledgement, and issue the next, for a fixed
 * window (a closed loop, ANCHORS.md's workload: 16-byte keys over 10,000 keys, 100-byte values). Every
 * loop ends with its window; a failed write counts as an error and the client goes on.
 *
 * <p>Public so that the peer harnesses ({@code io.raftstore.bench.peer}) run exactly this workload; it uses
 * nothing but the JDK, so it loads on the peer's own classpath too.
 */
public final class ClosedLoopLoad {
    public static final int KEYS = 10_000;
    /**
     * Every key named once: formatting one per write made the load generator the largest single source of the
     * benchmark's garbage (a sixth of it, in an allocation profile of the local API at 16 clients), which every
     * system measured in process with this class paid for in collections during its run.
     */
    private static final String[] KEY_NAMES = IntStream.range(0, KEYS)
            .mapToObj(i -> String.format("bench-key-%06d", i)).toArray(String[]::new);
    private static final int MAX_SAMPLES_PER_CLIENT = 4_000_000;

    /** One write of the workload; throws or returns false when it was not acknowledged. */
    @FunctionalInterface
    public interface Write {
        boolean write(String key, byte[] value) throws Exception;
    }

    /**
     * {@code serverCpuTicks}: see {@link ServerCpu}, -1 when not asked for; {@code bytesPerOp}: what this JVM's
     * threads allocated per acknowledged operation in the window, -1 when unknown (see {@link Allocation}).
     */
    public record Result(int clients, double perSecond, double p50Millis, double p99Millis, long errors,
                         long serverCpuTicks, long bytesPerOp) {
        /** The row, then on a line of its own a comment a table reader skips: the allocation per operation. */
        public String row() {
            return String.format("%-8d %,12.0f %10.3f %10.3f %8d %12d%n# allocated %,d bytes per operation (in this JVM)",
                    clients, perSecond, p50Millis, p99Millis, errors, serverCpuTicks, bytesPerOp);
        }

        public static String header() {
            return String.format("%-8s %12s %10s %10s %8s %12s", "clients", "writes/s", "p50 ms", "p99 ms", "errors",
                    "server CPU");
        }
    }

    private ClosedLoopLoad() {
    }

    /** A warm-up window, then the measured one. */
    public static Result warmThenMeasure(Write op, int clients, int warmupSeconds, int seconds) throws InterruptedException {
        run(op, clients, warmupSeconds);
        return run(op, clients, seconds);
    }

    public static Result run(Write op, int clients, int seconds) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        long[][] latencies = new long[clients][];
        int[] counts = new int[clients];
        long[] errors = new long[clients];
        CountDownLatch done = new CountDownLatch(clients);
        long cpuBefore = ServerCpu.ticks();
        Allocation allocation = Allocation.begin();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int id = c;
            Thread t = new Thread(() -> {
                try {
                    latencies[id] = loop(op, id, stop, counts, errors);
                } finally {
                    done.countDown();
                }
            }, "load-" + c);
            t.setDaemon(true);
            t.start();
        }
        Thread.sleep(seconds * 1000L);
        // While the clients still run (an ended thread's count is gone); the writes after it are a few microseconds'.
        long allocated = allocation == null ? -1 : allocation.bytesSince();
        stop.set(true);
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpu = cpuBefore < 0 ? -1 : ServerCpu.ticks() - cpuBefore;
        long total = Arrays.stream(counts).asLongStream().sum();
        long[] all = new long[(int) total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        return new Result(clients, total / elapsed, percentile(all, 0.50), percentile(all, 0.99),
                Arrays.stream(errors).sum(), cpu, allocated < 0 || total == 0 ? -1 : allocated / total);
    }

    /** The client's latencies (the first {@code counts[id]}); the array grows as needed, up to a bound. */
    private static long[] loop(Write op, int id, AtomicBoolean stop, int[] counts, long[] errors) {
        long[] mine = new long[1024];
        SplittableRandom rnd = new SplittableRandom(id);
        byte[] value = new byte[100];
        int n = 0;
        while (!stop.get() && n < MAX_SAMPLES_PER_CLIENT) {
            String key = key(rnd.nextInt(KEYS));
            rnd.nextBytes(value);
            long t0 = System.nanoTime();
            boolean ok;
            try {
                ok = op.write(key, value);
            } catch (Exception e) {
                ok = false;
            }
            if (ok) {
                if (n == mine.length) {
                    mine = Arrays.copyOf(mine, Math.min(2 * n, MAX_SAMPLES_PER_CLIENT));
                }
                mine[n++] = System.nanoTime() - t0;
            } else {
                errors[id]++;
            }
        }
        counts[id] = n;
        return mine;
    }

    /** The workload's key number {@code i} (0 to {@link #KEYS} - 1): 16 bytes. */
    public static String key(int i) {
        return KEY_NAMES[i];
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, sorted.length * p)] / 1e6;
    }

    /** Client levels and windows, as every harness takes them on its command line. */
    public record Plan(int[] levels, int warmupSeconds, int seconds) {

        /** {@code args[from]}: levels such as 1,16,64; then warm-up and measured seconds (defaults 5 and 20). */
        public static Plan fromArgs(String[] args, int from) {
            String levels = args.length > from ? args[from] : "1,16,64";
            return new Plan(Arrays.stream(levels.split(",")).mapToInt(Integer::parseInt).toArray(),
                    args.length > from + 1 ? Integer.parseInt(args[from + 1]) : 5,
                    args.length > from + 2 ? Integer.parseInt(args[from + 2]) : 20);
        }

        /**
         * Runs every level in turn and prints the table. With {@code -Dbench.jvm.warmup=S}, the workload first runs
         * unmeasured for S seconds at the highest level: a harness that starts its JVM for the run would otherwise
         * measure the JIT at work. At 16 clients in a fresh JVM the compiler threads held 30% of RaftStore's CPU
         * samples 8 s after the start and had left the profile by 30 s, and its p99 after 4 s of warm-up per level was
         * 2.2 times the one after 30 s (docs/benchmarks.md, "The JIT in the local figures").
         */
        public void runAndPrint(Write op) throws InterruptedException {
            int jvmWarmup = Integer.getInteger("bench.jvm.warmup", 0);
            if (jvmWarmup > 0) {
                int top = Arrays.stream(levels).max().orElse(1);
                run(op, top, jvmWarmup);
                System.out.printf("# JVM warmed by %d s at %d clients, unmeasured%n", jvmWarmup, top);
            }
            System.out.println(Result.header());
            for (int clients : levels) {
                System.out.println(warmThenMeasure(op, clients, warmupSeconds, seconds).row());
            }
        }
    }
}
