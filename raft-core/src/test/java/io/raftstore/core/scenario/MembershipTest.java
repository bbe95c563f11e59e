package io.raftstore.core.scenario;

import io.raftstore.core.ConfigChange;
import io.raftstore.core.FailureReason;
import io.raftstore.core.Membership;
import io.raftstore.core.RaftConfig;
import io.raftstore.core.RequestRejectedException;
import io.raftstore.core.Role;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.raftstore.core.scenario.TestCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Single-server membership changes and learners (dissertation chapter 4). */
class MembershipTest {

    private static TestCluster.Node join(TestCluster c, String id) {
        return c.add(id, RaftConfig.defaults(id, Membership.EMPTY).withTimeouts(1, 10, 100));
    }

    @Test
    void aLearnerReceivesTheLogButNeitherVotesNorCountsTowardsCommit() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        TestCluster.Node n4 = join(c, "n4");
        leader.raft.proposeMembership(new ConfigChange(ConfigChange.Type.ADD_LEARNER, "n4"));
        leader.raft.propose(bytes("a"));
        c.stabilize();
        c.tick(2);
        assertEquals(List.of("a"), n4.stateMachine.applied);
        assertEquals(Role.LEARNER, n4.role());
        c.partition(List.of("n1", "n4"));
        leader.raft.propose(bytes("b"));
        c.stabilize();
        assertFalse(leader.stateMachine.applied.contains("b"), "n1 + a learner is no majority");
        c.heal();
        c.tick(Math.max(30, 3 * n4.config.electionTicks()));
        assertEquals(Role.LEARNER, n4.role(), "a learner never campaigns");
    }

    @Test
    void aPromotedLearnerVotesAndCounts() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        join(c, "n4");
        leader.raft.proposeMembership(new ConfigChange(ConfigChange.Type.ADD_LEARNER, "n4"));
        c.stabilize();
        c.tick(2);
        leader.raft.proposeMembership(new ConfigChange(ConfigChange.Type.PROMOTE_LEARNER, "n4"));
        c.stabilize();
        c.tick(2);
        assertEquals(Set.of("n1", "n2", "n3", "n4"), leader.raft.status().membership().voters());
        assertEquals(Role.FOLLOWER, c.node("n4").role());
        c.partition(List.of("n1", "n4"));
        leader.raft.propose(bytes("b"));
        c.stabilize();
        assertFalse(leader.stateMachine.applied.contains("b"), "two of four voters are no majority");
        c.partition(List.of("n1", "n2", "n4"));
        c.tick(2);
        assertTrue(leader.stateMachine.applied.contains("b"), "three of four are");
    }

    @Test
    void aConfigurationTakesEffectWhenAppendedNotWhenCommitted() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        c.partition(List.of("n1"));
        leader.raft.proposeMembership(new ConfigChange(ConfigChange.Type.REMOVE_MEMBER, "n3"));
        assertEquals(Set.of("n1", "n2"), leader.raft.status().membership().voters());
    }

    @Test
    void onlyOneChangeMayBeUncommittedAtATime() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        c.partition(List.of("n1"));
        leader.raft.proposeMembership(new ConfigChange(ConfigChange.Type.ADD_LEARNER, "n4"));
        RequestRejectedException e = assertThrows(RequestRejectedException.class,
                () -> leader.raft.proposeMembership(new ConfigChange(ConfigChange.Type.ADD_LEARNER, "n5")));
        assertEquals(FailureReason.REJECTED, e.reason());
    }

    @Test
    void removingAVoterShrinksTheQuorum() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        leader.raft.proposeMembership(new ConfigChange(ConfigChange.Type.REMOVE_MEMBER, "n3"));
        c.stabilize();
        c.crash("n3");
        c.partition(List.of("n1", "n2"));
        leader.raft.propose(bytes("x"));
        c.stabilize();
        assertEquals(List.of("x"), leader.stateMachine.applied);
    }

    @Test
    void aLeaderThatRemovesItselfStepsDownOnceTheChangeCommits() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        leader.raft.proposeMembership(new ConfigChange(ConfigChange.Type.REMOVE_MEMBER, "n1"));
        assertEquals(Role.LEADER, leader.role(), "it still manages the cluster until the change commits");
        c.stabilize();
        assertEquals(Role.FOLLOWER, leader.role());
        TestCluster.Node next = c.awaitLeader();
        assertTrue(Set.of("n2", "n3").contains(next.id));
        c.tick(50);
        assertEquals(Role.FOLLOWER, leader.role(), "a removed node never campaigns");
    }

    @Test
    void aRemovedNodeThatMissedItsRemovalCannotDisruptTheCluster() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        c.isolate("n3");
        leader.raft.proposeMembership(new ConfigChange(ConfigChange.Type.REMOVE_MEMBER, "n3"));
        c.stabilize();
        c.heal();
        long term = leader.term();
        c.tick(100); // n3 keeps timing out and asking for (pre-)votes
        assertEquals(Role.LEADER, leader.role());
        assertEquals(term, leader.term());
    }

    @Test
    void invalidChangesAreRefusedWithAReason() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        RequestRejectedException e = assertThrows(RequestRejectedException.class,
                () -> leader.raft.proposeMembership(new ConfigChange(ConfigChange.Type.PROMOTE_LEARNER, "n2")));
        assertTrue(e.getMessage().contains("not a learner"), e.getMessage());
    }

    @Test
    void theCommittedMembershipChangesOnlyWhenTheChangeCommits() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        c.partition(List.of("n1"));
        leader.raft.proposeMembership(new ConfigChange(ConfigChange.Type.REMOVE_MEMBER, "n3"));
        c.stabilize();
        assertEquals(Set.of("n1", "n2"), leader.raft.status().membership().voters());
        assertEquals(Set.of("n1", "n2", "n3"), leader.raft.committedMembership().voters());
        c.heal();
        c.tick(2);
        assertEquals(Set.of("n1", "n2"), leader.raft.committedMembership().voters());
    }

    @Test
    void aMembersAddressIsReplicatedWithItsAdditionAndDroppedWithItsRemoval() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        TestCluster.Node n4 = join(c, "n4");
        leader.raft.proposeMembership(new ConfigChange(ConfigChange.Type.ADD_LEARNER, "n4", "10.0.0.4:7800"));
        c.stabilize();
        c.tick(2);
        for (String id : List.of("n1", "n2", "n3", "n4")) {
            assertEquals("10.0.0.4:7800", c.node(id).raft.status().membership().addressOf("n4"), id);
        }
        leader.raft.proposeMembership(new ConfigChange(ConfigChange.Type.PROMOTE_LEARNER, "n4"));
        c.stabilize();
        assertEquals("10.0.0.4:7800", n4.raft.status().membership().addressOf("n4"), "a promotion keeps it");
        leader.raft.proposeMembership(new ConfigChange(ConfigChange.Type.REMOVE_MEMBER, "n4"));
        c.stabilize();
        assertEquals(null, leader.raft.status().membership().addressOf("n4"));
        assertThrows(IllegalArgumentException.class,
                () -> new ConfigChange(ConfigChange.Type.REMOVE_MEMBER, "n4", "10.0.0.4:7800"));
    }
}
