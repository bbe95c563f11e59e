/**
 * Harnesses for the peers RaftStore is measured against (shared/ANCHORS.md), each under the same load as
 * RaftStore's own harness. They run in their own JVM with the peer's own classpath (see benchmarks/pom.xml)
 * and use nothing of RaftStore but {@link io.raftstore.bench.ClosedLoopLoad}.
 */
package io.raftstore.bench.peer;
