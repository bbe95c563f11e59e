package io.raftstore.bench.jca;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a workload from {@code callers} concurrent callers, each calling in a closed loop: a warm-up that is
 * not measured, then a measured period. Latencies are kept per caller (no shared structure on the hot path)
 * and merged at the end.
 */
public final class LoadRunner {

    private final ExecutorService executor;

    public LoadRunner(ExecutorService executor) {
        this.executor = executor;
    }

    public LoadResult run(Workload workload, int callers, long warmupMillis, long measureMillis) throws Exception {
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.MILLISECONDS.toNanos(warmupMillis);
        long end = measureFrom + TimeUnit.MILLISECONDS.toNanos(measureMillis);
        AtomicLong errors = new AtomicLong();
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int caller = c;
            futures.add(executor.submit(() -> loop(workload, caller, measureFrom, end, errors)));
        }
        List<long[]> perCaller = new ArrayList<>();
        for (Future<long[]> f : futures) {
            perCaller.add(f.get(warmupMillis + measureMillis + 120_000, TimeUnit.MILLISECONDS));
        }
        long[] all = perCaller.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        double seconds = measureMillis / 1000.0;
        return new LoadResult(all.length, errors.get(), seconds, all.length / seconds,
                percentile(all, 0.50) / 1000.0, percentile(all, 0.99) / 1000.0);
    }

    private static long[] loop(Workload workload, int caller, long measureFrom, long end, AtomicLong errors) {
        long[] latencies = new long[1024];
        int count = 0;
        for (long n = 0; ; n++) {
            long t0 = System.nanoTime();
            if (t0 >= end) {
                break;
            }
            boolean ok = true;
            try {
                workload.call(caller, n);
            } catch (Exception e) {
                ok = false;
            }
            long t1 = System.nanoTime();
            // Only calls that started inside the measured period count.
            if (t0 >= measureFrom) {
                if (!ok) {
                    errors.incrementAndGet();
                } else {
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, count * 2);
                    }
                    latencies[count++] = t1 - t0;
                }
            }
        }
        return Arrays.copyOf(latencies, count);
    }

    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }
}
