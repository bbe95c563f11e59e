package io.raftstore.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closed-loop write load over the REST API of a running cluster (ANCHORS.md's workload: 16-byte keys over
 * 10,000 keys, 100-byte values): for each client count, a warm-up, then a measured window; prints
 * acknowledged writes/s and p50/p99 latency. Every loop is bounded by its window; nothing but the given
 * 127.0.0.1 URL is contacted.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.raftstore.bench.RestLoadBenchmark
 * http://127.0.0.1:9081 1,16,64 5 20}
 */
public final class RestLoadBenchmark {
    private static final int KEYS = 10_000;

    private RestLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:9081";
        int[] levels = Arrays.stream((args.length > 1 ? args[1] : "1,16,64").split(",")).mapToInt(Integer::parseInt).toArray();
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int measure = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        if (!URI.create(base).getHost().startsWith("127.")) {
            throw new IllegalArgumentException("load goes to loopback only, not " + base);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        System.out.printf("%-8s %12s %10s %10s %8s%n", "clients", "writes/s", "p50 ms", "p99 ms", "errors");
        for (int clients : levels) {
            run(http, base, clients, warmup);
            Result r = run(http, base, clients, measure);
            System.out.printf("%-8d %,12.0f %10.2f %10.2f %8d%n", clients, r.perSecond, r.p50, r.p99, r.errors);
        }
    }

    private record Result(double perSecond, double p50, double p99, long errors) {
    }

    private static Result run(HttpClient http, String base, int clients, int seconds) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        List<long[]> latencies = new ArrayList<>();
        long[] errors = new long[clients];
        CountDownLatch done = new CountDownLatch(clients);
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            long[] mine = new long[4_000_000];
            int[] count = {0};
            latencies.add(mine);
            int id = c;
            Thread t = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(id);
                byte[] value = new byte[100];
                while (!stop.get() && count[0] < mine.length) {
                    String key = String.format("bench-key-%06d", rnd.nextInt(KEYS));
                    rnd.nextBytes(value);
                    HttpRequest put = HttpRequest.newBuilder(URI.create(base + "/api/kv/" + key))
                            .timeout(Duration.ofSeconds(10)).PUT(HttpRequest.BodyPublishers.ofByteArray(value)).build();
                    long t0 = System.nanoTime();
                    try {
                        int status = http.send(put, HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status == 200 || status == 201) {
                            mine[count[0]++] = System.nanoTime() - t0;
                        } else {
                            errors[id]++;
                        }
                    } catch (Exception e) {
                        errors[id]++;
                    }
                }
                mine[mine.length - 1] = count[0]; // the count travels in the last slot
                done.countDown();
            }, "load-" + c);
            t.start();
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        long total = latencies.stream().mapToLong(a -> a[a.length - 1]).sum();
        long[] all = new long[(int) total];
        int at = 0;
        for (long[] a : latencies) {
            int n = (int) a[a.length - 1];
            System.arraycopy(a, 0, all, at, n);
            at += n;
        }
        Arrays.sort(all);
        double p50 = all.length == 0 ? Double.NaN : all[all.length / 2] / 1e6;
        double p99 = all.length == 0 ? Double.NaN : all[(int) Math.min(all.length - 1, all.length * 0.99)] / 1e6;
        return new Result(total / elapsed, p50, p99, Arrays.stream(errors).sum());
    }
}
