/**
 * Measures what the JCA adapter costs: {@link io.raftstore.bench.jca.LoadRunner} drives a
 * {@link io.raftstore.bench.jca.Workload} from many callers for a fixed time and reports throughput and
 * latency percentiles; {@link io.raftstore.bench.jca.Workloads} builds the same operation either through the
 * adapter (a pooled connection per call, a JTA transaction for multi-write transactions) or straight through
 * the node's gateway, the layer below the adapter.
 */
package io.raftstore.bench.jca;
