package io.raftstore.node.history;

import java.time.Instant;

/**
 * A peer this node could reach became unreachable, or came back: the transport's view of the cluster changed.
 * Read together, a node's events say when each peer was down as this node saw it.
 */
public record ReachabilityEvent(Instant time, String peer, boolean reachable) {
}
