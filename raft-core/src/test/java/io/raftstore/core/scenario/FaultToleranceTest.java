package io.raftstore.core.scenario;

import io.raftstore.core.FailureReason;
import io.raftstore.core.LeaderChange;
import io.raftstore.core.NotLeaderException;
import io.raftstore.core.Proposal;
import io.raftstore.core.RequestFailure;
import io.raftstore.core.Role;
import io.raftstore.core.message.AppendEntriesResponse;
import io.raftstore.core.message.RequestVote;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.raftstore.core.scenario.TestCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PreVote, CheckQuorum, request outcomes under faults, sessions and restarts. */
class FaultToleranceTest {

    @Test
    void preVoteKeepsAReturningPartitionedNodeFromDeposingAHealthyLeader() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        c.isolate("n3");
        c.tick(100); // n3 times out again and again on its own
        c.heal();
        c.tick(5);
        assertEquals(Role.LEADER, leader.role());
        assertEquals(1, leader.term(), "no election happened");
        assertEquals("n1", c.node("n3").raft.status().leaderId());
    }

    @Test
    void followersIgnoreVoteRequestsWhileTheyHearFromALeader() {
        // Without PreVote a disruptive node raises its term, but CheckQuorum's lease keeps voters loyal.
        TestCluster c = new TestCluster(3, cfg -> cfg.withPreVoteAndCheckQuorum(false, true));
        TestCluster.Node leader = c.elect("n1");
        c.node("n3").raft.step(new RequestVote("n2", "n3", 9, 100, 9, false, false));
        c.process(c.node("n3"));
        assertEquals(1, c.node("n3").term(), "the vote request was ignored, not even its term adopted");
        assertEquals(Role.LEADER, leader.role());
    }

    @Test
    void aLeaderCutOffFromAMajorityStepsDownWithinAnElectionTimeout() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        c.isolate("n1");
        c.tick("n1", 2 * leader.config.electionTicks());
        assertEquals(Role.FOLLOWER, leader.role());
        assertThrows(NotLeaderException.class, () -> leader.raft.propose(bytes("x")),
                "a minority leader must not keep accepting writes");
        c.heal();
        c.awaitLeader();
        c.tick(3);
        LeaderChange seen = leader.leaderChanges.get(leader.leaderChanges.size() - 1);
        assertEquals(LeaderChange.Cause.LOST_QUORUM, seen.cause(), "the history says why n1 lost leadership");
    }

    @Test
    void aRequestToAFollowerFailsWithNotLeaderNamingTheLeader() {
        TestCluster c = new TestCluster(3);
        c.elect("n1");
        NotLeaderException e = assertThrows(NotLeaderException.class, () -> c.node("n2").raft.propose(bytes("x")));
        assertEquals("n1", e.leaderId());
        TestCluster fresh = new TestCluster(3);
        NotLeaderException none = assertThrows(NotLeaderException.class, () -> fresh.node("n2").raft.propose(bytes("x")));
        assertNull(none.leaderId());
        assertTrue(none.getMessage().contains("no leader"));
    }

    @Test
    void aProposalLostToALeaderChangeFailsWithOutcomeUnknown() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        c.isolate("n1");
        Proposal p = leader.raft.propose(bytes("x"));
        c.tick("n1", 2 * leader.config.electionTicks()); // CheckQuorum deposes it
        RequestFailure f = leader.failures.stream().filter(x -> x.requestId() == p.index()).findFirst().orElseThrow();
        assertEquals(FailureReason.OUTCOME_UNKNOWN, f.reason());
        assertTrue(f.reason().mayHaveTakenEffect());
    }

    @Test
    void aProposalWithoutQuorumFailsAfterTheRequestTimeoutInsteadOfHanging() {
        TestCluster c = new TestCluster(3, cfg -> cfg.withPreVoteAndCheckQuorum(true, false).withTimeouts(1, 10, 30));
        TestCluster.Node leader = c.elect("n1");
        c.isolate("n1");
        Proposal p = leader.raft.propose(bytes("x"));
        c.tick("n1", 29);
        assertTrue(leader.failures.isEmpty());
        c.tick("n1", 1);
        assertEquals(List.of(new RequestFailure(p.index(), false, FailureReason.TIMEOUT, "n1",
                "no quorum answered within 30 ticks")), leader.failures);
    }

    @Test
    void aRetriedProposalWithTheSameClientSessionIsAppliedOnce() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        c.drop = m -> m.to().equals("n1") && m instanceof AppendEntriesResponse;
        leader.raft.propose(bytes("pay"), 42, 1); // replicated, but the leader never learns it committed
        c.stabilize();
        c.heal();
        c.crash("n1");
        TestCluster.Node next = c.awaitLeader();
        next.raft.propose(bytes("pay"), 42, 1); // the client retries on the new leader
        c.stabilize();
        c.tick(3);
        assertEquals(List.of("pay"), next.stateMachine.applied);
        assertEquals(List.of("pay"), c.node(next.id.equals("n2") ? "n3" : "n2").stateMachine.applied);
    }

    @Test
    void aRestartedNodeKeepsTermVoteAndLogAndReappliesCommittedEntries() {
        TestCluster c = new TestCluster(3);
        c.elect("n1");
        c.commit("n1", "v0", "v1", "v2", "v3", "v4");
        TestCluster.Node n2 = c.node("n2");
        long term = n2.term();
        long last = n2.log.lastIndex();
        c.crash("n2");
        c.restartWithEmptyStateMachine("n2");
        assertEquals(term, n2.term());
        assertEquals(last, n2.raft.status().lastIndex());
        c.tick(3);
        assertEquals(List.of("v0", "v1", "v2", "v3", "v4"), n2.stateMachine.applied.subList(
                n2.stateMachine.applied.size() - 5, n2.stateMachine.applied.size()));
    }

    @Test
    void manyRestartsInARowLoseNothingCommitted() {
        TestCluster c = new TestCluster(3);
        c.elect("n1");
        for (int round = 0; round < 10; round++) {
            TestCluster.Node leader = c.awaitLeader();
            leader.raft.propose(bytes("r" + round));
            c.stabilize();
            String victim = "n" + (round % 3 + 1);
            c.crash(victim);
            c.tick(30);
            c.restart(victim);
            c.tick(30);
        }
        TestCluster.Node leader = c.awaitLeader();
        c.tick(5);
        for (TestCluster.Node n : c.nodes.values()) {
            assertEquals(leader.stateMachine.applied, n.stateMachine.applied, n.id);
        }
        assertEquals(10, leader.stateMachine.applied.size());
    }
}
