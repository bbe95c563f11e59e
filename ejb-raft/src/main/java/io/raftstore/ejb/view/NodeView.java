package io.raftstore.ejb.view;

import java.util.List;

/**
 * This node's view of itself and its log, as published by its event loop after each turn.
 *
 * @param leaderId  null while no leader is known
 * @param followers only a leader tracks its followers: empty on any other node
 */
public record NodeView(String nodeId, Role role, long term, String leaderId, long commitIndex,
                       long appliedIndex, long firstIndex, long lastIndex, MembershipView membership,
                       boolean transferring, List<FollowerView> followers) {

    public NodeView {
        followers = List.copyOf(followers);
    }

    /** The engine's roles; a pre-candidate campaigns without raising its term first (PreVote). */
    public enum Role { FOLLOWER, PRE_CANDIDATE, CANDIDATE, LEADER, LEARNER }

    /**
     * What the leader knows of one follower.
     *
     * @param ticksSinceContact ticks since the follower last answered (multiply by the tick length)
     * @param state             the leader's replication state for it (probe, replicate, snapshot)
     */
    public record FollowerView(String id, boolean voter, long matchIndex, long ticksSinceContact, String state) {
    }
}
