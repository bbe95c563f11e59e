/**
 * How nodes talk: {@link io.raftstore.transport.Transport} moves {@link io.raftstore.transport.Frame}s
 * (batches of Raft messages, and client requests forwarded to the leader with their answers) between
 * nodes named by id. It only moves bytes: it never decides who leads, and it never blocks the caller.
 */
package io.raftstore.transport;
