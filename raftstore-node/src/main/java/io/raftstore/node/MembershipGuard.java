package io.raftstore.node;

import io.raftstore.core.ConfigChange;
import io.raftstore.core.Membership;
import io.raftstore.core.NodeStatus;
import io.raftstore.core.Role;

import java.util.HashMap;
import java.util.Map;

/**
 * The leader's checks before it proposes a membership change, for the changes the engine would accept but
 * that would hurt the cluster: promoting a learner that has not caught up (the new quorum would wait for
 * it), or any change after which too few of the voters answer to commit it (the change itself could then
 * never commit, and the cluster would stop). What the engine refuses itself (unknown member, last voter,
 * a second change in flight) is left to its own messages.
 */
final class MembershipGuard {

    private final long maxLearnerLag;
    private final long answeredWithinTicks;

    /**
     * @param maxLearnerLag       how far behind the leader's log a learner may be when promoted
     * @param answeredWithinTicks a voter counts as answering when the leader heard from it this recently
     *                            (an election timeout: the engine's own CheckQuorum window)
     */
    MembershipGuard(long maxLearnerLag, long answeredWithinTicks) {
        this.maxLearnerLag = maxLearnerLag;
        this.answeredWithinTicks = answeredWithinTicks;
    }

    /** Why the leader described by {@code leader} must not propose {@code change}; null when it may. */
    String refusal(NodeStatus leader, ConfigChange change) {
        if (leader.role() != Role.LEADER) {
            return null;
        }
        Map<String, NodeStatus.PeerStatus> peers = new HashMap<>();
        leader.followers().forEach(p -> peers.put(p.id(), p));
        String id = change.nodeId();
        if (change.type() == ConfigChange.Type.PROMOTE_LEARNER && leader.membership().isLearner(id)) {
            NodeStatus.PeerStatus p = peers.get(id);
            long behind = p == null ? leader.lastIndex() : leader.lastIndex() - p.matchIndex();
            if (p == null || !"REPLICATE".equals(p.state()) || behind > maxLearnerLag) {
                return id + " has not caught up: it holds the log up to " + (p == null ? 0 : p.matchIndex())
                        + " of " + leader.lastIndex() + " (" + behind + " behind, at most " + maxLearnerLag
                        + " allowed" + (p != null && !"REPLICATE".equals(p.state()) ? ", still " + p.state() : "")
                        + "); wait until it has, then promote it";
            }
        }
        Membership next;
        try {
            next = leader.membership().apply(change);
        } catch (IllegalArgumentException e) {
            return null; // the engine refuses it with this reason
        }
        long answering = next.voters().stream()
                .filter(v -> v.equals(leader.nodeId())
                        || (peers.containsKey(v) && peers.get(v).ticksSinceContact() <= answeredWithinTicks))
                .count();
        if (answering < next.quorum()) {
            return "after this change only " + answering + " of its " + next.voters().size()
                    + " voters answer and " + next.quorum() + " are needed, so it could never commit; "
                    + "bring the missing voters back first";
        }
        return null;
    }
}
