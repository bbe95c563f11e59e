/**
 * Durable storage of one RaftStore node in an embedded H2 database (through H2's MVStore engine, which
 * allows an fsync per commit; see {@link io.raftstore.storage.h2.H2Database}): the Raft log, hard state and
 * snapshot metadata, snapshot files beside the database, start-up damage checks
 * ({@link io.raftstore.node.storage.NodeStorage}) and online backup ({@link io.raftstore.node.storage.H2Backup}).
 */
package io.raftstore.storage.h2;
