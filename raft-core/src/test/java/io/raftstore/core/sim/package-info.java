/**
 * A deterministic, single-threaded simulation of RaftStore clusters: seeded network faults, partitions,
 * crashes that keep only what was persisted, membership changes and a client workload, with safety checks
 * after every step and a linearizability check of the recorded history. Run it through
 * {@link io.raftstore.core.sim.SimulationTest} (CI budget) or {@link io.raftstore.core.sim.SimulationRunner}
 * (seed ranges and single-seed traces).
 */
package io.raftstore.core.sim;
