/**
 * The messages Raft nodes exchange, as records. Names follow the Raft paper and Ongaro's dissertation.
 * {@link io.raftstore.core.codec.MessageCodec} turns them into bytes.
 */
package io.raftstore.core.message;
