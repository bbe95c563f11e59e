package io.raftstore.bench;

import io.raftstore.core.InMemoryCluster;
import io.raftstore.core.RaftNode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Committed entries per second of the consensus engine alone (issue: engine must do ≥ 1,000,000/s so it
 * never limits the store): a 3-node in-memory cluster, 100-byte proposals, {@code batch} proposals per
 * event-loop turn, each turn driven until the batch is committed on the leader and every follower.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class EngineThroughputBenchmark {
    private static final int OPS = 256;

    @Param({"1", "16", "256"})
    int batch;

    private InMemoryCluster cluster;
    private RaftNode leader;
    private final byte[] value = new byte[100];

    @Setup(Level.Trial)
    public void setUp() {
        cluster = new InMemoryCluster(3);
        leader = cluster.leader();
    }

    /** Commits {@value #OPS} entries in turns of {@code batch} proposals. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public long commit() {
        for (int done = 0; done < OPS; done += batch) {
            for (int i = 0; i < batch; i++) {
                leader.propose(value);
            }
            cluster.run();
        }
        return leader.status().commitIndex();
    }
}
