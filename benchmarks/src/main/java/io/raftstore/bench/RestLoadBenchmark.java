package io.raftstore.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Closed-loop write load over the REST API of a running cluster ({@link ClosedLoopLoad}'s workload): for
 * each client count a warm-up, then a measured window; prints acknowledged writes/s and p50/p99 latency.
 * Nothing but the given 127.0.0.1 URL is contacted.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.raftstore.bench.RestLoadBenchmark
 * http://127.0.0.1:9081 1,16,64 5 20}
 */
public final class RestLoadBenchmark {

    private RestLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:9081";
        ClosedLoopLoad.Plan plan = ClosedLoopLoad.Plan.fromArgs(args, 1);
        if (!URI.create(base).getHost().startsWith("127.")) {
            throw new IllegalArgumentException("load goes to loopback only, not " + base);
        }
        // HTTP/1.1: left to itself the client upgrades to h2c and funnels every client through one connection.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        ClosedLoopLoad.Write put = (key, value) -> {
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/kv/" + key))
                    .timeout(Duration.ofSeconds(10)).PUT(HttpRequest.BodyPublishers.ofByteArray(value)).build();
            int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 || status == 201;
        };
        plan.runAndPrint(put);
    }
}
