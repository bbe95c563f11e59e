/**
 * Real faults on real processes. {@link io.raftstore.faults.NetnsCluster} runs a cluster through
 * {@code ./cluster start --netns} (each Liberty server in its own network namespace, so dropped packets,
 * one-way cuts and loss act on a real link); {@link io.raftstore.faults.Workload} drives concurrent REST
 * clients through every node and records a {@link io.raftstore.faults.History}; {@link io.raftstore.faults.Nemesis}
 * injects seeded faults; {@link io.raftstore.faults.HistoryCheck} checks per-key linearizability with the
 * engine's checker, lost acknowledged writes and the longest write gap. {@code PartitionIT} holds the
 * readable fault list, {@code JepsenIT} the seeded runs.
 */
package io.raftstore.faults;
