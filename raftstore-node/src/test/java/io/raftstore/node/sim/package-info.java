/**
 * The whole-node simulation: the production {@link io.raftstore.node.NodeDriver} (with its router, Ready
 * processor and membership guard), the write-ahead log, the H2 key-value state machine and the snapshot
 * store of every node, run in one thread on a virtual clock ({@link io.raftstore.node.NodeClock}), a
 * simulated network ({@link io.raftstore.transport.Transport}) and a simulated disk per node
 * ({@link io.raftstore.storage.Disk}), every choice drawn from one seed. docs/simulation.md tells what is
 * simulated, what is not, and how to replay a seed.
 */
package io.raftstore.node.sim;
