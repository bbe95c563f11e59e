package io.raftstore.bench;


/**
 * Closed-loop write load over the REST API of a running cluster ({@link ClosedLoopLoad}'s workload): for
 * each client count a warm-up, then a measured window; prints acknowledged writes/s and p50/p99 latency.
 * Nothing but the given URL (loopback, or a --netns node on 198.18.0.0/15) is contacted.
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
        RestPut rest = new RestPut(base);
        plan.runAndPrint(rest::put);
    }
}
