package io.raftstore.node;

/**
 * What the node tells a metrics system as it works, in plain Java: the container's exporter
 * ({@code ejb-raft}'s MicroProfile Metrics bridge) implements it, so no metrics library reaches this module or
 * the engine. The node's state (role, term, indexes, followers) is not here: an exporter reads it from
 * {@link RunningNode#status()} when scraped.
 *
 * <p>Called on the event loop (everything but {@link #request}) or on the requesting container thread
 * ({@link #request}): implementations must be thread-safe and must not block — a slow call here slows the loop.
 */
public interface NodeMetrics {

    /** Counts nothing: tests and the simulation. */
    NodeMetrics NONE = new NodeMetrics() {
    };

    /** This node, as leader, appended a client write or membership change to its log. */
    default void proposed() {
    }

    /** This node forwarded a write or membership change to the leader. */
    default void forwarded() {
    }

    /** {@code entries} committed entries were applied to the state machine. */
    default void applied(int entries) {
    }

    /**
     * Confirmed read indexes released {@code reads} linearizable or lease reads on this node: one call per Ready
     * that released any (a leader's heartbeat round serves every read queued before it; a follower's reads get
     * their index from that round and are released here).
     */
    default void readsReleased(int reads) {
    }

    /** A Ready's entries and hard state were written in one transaction, with a sync when {@code synced}. */
    default void persisted(long nanos, int entries, boolean synced) {
    }

    /**
     * This node saw leadership change: a new leader ({@code newLeaderKnown}) or the loss of one, with the
     * engine's cause ({@code LeaderChange.Cause} name).
     */
    default void leaderChanged(String cause, boolean newLeaderKnown) {
    }

    /** This node began a campaign (a pre-vote or a vote round). */
    default void campaigned() {
    }

    /**
     * A client request ended: {@code operation} {@code write} or {@code read_<consistency>}, {@code outcome}
     * {@code ok}, {@code invalid} or the failure's reason (lower case).
     */
    default void request(String operation, String outcome, long nanos) {
    }
}
