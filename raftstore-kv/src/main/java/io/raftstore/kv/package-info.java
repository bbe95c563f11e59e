/**
 * The replicated key-value state machine: commands ({@link io.raftstore.kv.KvCommand}), their real results
 * ({@link io.raftstore.kv.KvResult}), their binary encoding ({@link io.raftstore.kv.KvCodec}), limits
 * ({@link io.raftstore.kv.KvLimits}) and {@link io.raftstore.kv.KvStateMachine}, which applies committed
 * log entries to the node's H2 database exactly once.
 */
package io.raftstore.kv;
