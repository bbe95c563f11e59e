/**
 * The running node outside any container: {@link io.raftstore.node.NodeDriver} is the event loop that owns
 * the engine (one thread; ticks, inbound messages and local requests all queue to it), persists before it
 * sends, applies committed entries and completes the requests waiting on them. Requests that reach a
 * follower are forwarded to the leader, so callers never see "not the leader"; they wait a bounded time
 * and then get a {@link io.raftstore.node.RequestFailedException} that says whether the request may still
 * take effect.
 */
package io.raftstore.node;
