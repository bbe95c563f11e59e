package io.raftstore.core;

import java.util.List;

/**
 * A read-only view of one node for status pages and health checks.
 *
 * @param followers the leader's view of each other member (empty on non-leaders)
 */
public record NodeStatus(String nodeId, Role role, long term, String leaderId, long commitIndex,
                         long appliedIndex, long firstIndex, long lastIndex, Membership membership,
                         boolean transferring, List<PeerStatus> followers) {

    /**
     * The leader's replication state for one peer.
     *
     * @param recentlyActive     heard from within the last election timeout
     * @param ticksSinceContact  ticks since the peer last answered
     */
    public record PeerStatus(String id, boolean voter, long matchIndex, long nextIndex, boolean recentlyActive,
                             long ticksSinceContact, String state) {
    }
}
