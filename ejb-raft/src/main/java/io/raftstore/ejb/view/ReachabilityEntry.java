package io.raftstore.ejb.view;

import java.time.Instant;

/** This node lost sight of {@code peer} ({@code reachable} false), or saw it again. */
public record ReachabilityEntry(Instant time, String peer, boolean reachable) {
}
