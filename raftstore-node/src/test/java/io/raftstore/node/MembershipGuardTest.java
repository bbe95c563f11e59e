package io.raftstore.node;

import io.raftstore.core.ConfigChange;
import io.raftstore.core.Membership;
import io.raftstore.core.NodeStatus;
import io.raftstore.core.Role;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MembershipGuardTest {

    private static final MembershipGuard GUARD = new MembershipGuard(1000, 15);
    private static final Membership WITH_LEARNER = new Membership(Set.of("n1", "n2", "n3"), Set.of("n4"));

    private static NodeStatus leader(Membership m, long lastIndex, NodeStatus.PeerStatus... peers) {
        return new NodeStatus("n1", Role.LEADER, 3, "n1", lastIndex, lastIndex, 1, lastIndex, m, false, List.of(peers));
    }

    private static NodeStatus.PeerStatus peer(String id, long match, boolean active, String state) {
        return new NodeStatus.PeerStatus(id, !id.equals("n4"), match, match + 1, active, active ? 3 : 40, state);
    }

    private static ConfigChange change(ConfigChange.Type type, String id) {
        return new ConfigChange(type, id);
    }

    @Test
    void aLearnerIsPromotedOnlyOnceItHasCaughtUp() {
        var n2 = peer("n2", 5000, true, "REPLICATE");
        var n3 = peer("n3", 5000, true, "REPLICATE");
        String far = GUARD.refusal(leader(WITH_LEARNER, 5000, n2, n3, peer("n4", 12, true, "REPLICATE")),
                change(ConfigChange.Type.PROMOTE_LEARNER, "n4"));
        assertTrue(far != null && far.contains("n4 has not caught up") && far.contains("4988 behind"), far);
        String probing = GUARD.refusal(leader(WITH_LEARNER, 50, n2, n3, peer("n4", 0, true, "PROBE")),
                change(ConfigChange.Type.PROMOTE_LEARNER, "n4"));
        assertTrue(probing != null && probing.contains("still PROBE"), probing);
        assertNull(GUARD.refusal(leader(WITH_LEARNER, 5000, n2, n3, peer("n4", 4990, true, "REPLICATE")),
                change(ConfigChange.Type.PROMOTE_LEARNER, "n4")));
    }

    @Test
    void aChangeThatLeavesTooFewAnsweringVotersIsRefused() {
        Membership three = Membership.ofVoters("n1", "n2", "n3");
        var n2 = peer("n2", 10, true, "REPLICATE");
        var n3Down = peer("n3", 10, false, "PROBE");
        String why = GUARD.refusal(leader(three, 10, n2, n3Down), change(ConfigChange.Type.REMOVE_MEMBER, "n2"));
        assertTrue(why != null && why.contains("only 1 of its 2 voters answer"), why);
        assertNull(GUARD.refusal(leader(three, 10, n2, n3Down), change(ConfigChange.Type.REMOVE_MEMBER, "n3")),
                "removing the silent voter is what fixes it");
        String self = GUARD.refusal(leader(three, 10, n2, n3Down), change(ConfigChange.Type.REMOVE_MEMBER, "n1"));
        assertTrue(self != null && self.contains("only 1 of its 2 voters"), "without the leader, n2 alone is no quorum");
        assertNull(GUARD.refusal(leader(three, 10, n2, peer("n3", 10, true, "REPLICATE")),
                change(ConfigChange.Type.REMOVE_MEMBER, "n1")), "the leader may remove itself");
    }
}
