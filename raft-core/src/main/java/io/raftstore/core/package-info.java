/**
 * The Raft consensus engine as a pure, deterministic state machine.
 *
 * <p>{@link io.raftstore.core.RaftNode} is fed by {@code tick()}, {@code step(message)} and local
 * requests, and answers with a {@link io.raftstore.core.Ready}: what to persist, which messages to send,
 * which committed entries to apply and which reads are released. Nothing in this package blocks, reads a
 * clock, opens a socket or draws from a global random source; the caller owns all of that.
 */
package io.raftstore.core;
