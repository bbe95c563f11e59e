package io.raftstore.core.scenario;

import io.raftstore.core.EntryType;
import io.raftstore.core.LeaderChange;
import io.raftstore.core.Role;
import io.raftstore.core.message.AppendEntries;
import io.raftstore.core.message.RequestVote;
import io.raftstore.core.message.RequestVoteResponse;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leader election, Raft paper section 5.2 and 5.4.1, with PreVote (dissertation 9.6). */
class ElectionTest {

    @Test
    void aFollowerThatHearsNothingForAnElectionTimeoutBecomesCandidateAndWinsWithAMajority() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        assertEquals(1, leader.term());
        assertEquals(List.of(leader), c.leaders());
        c.nodes.values().forEach(n -> assertEquals("n1", n.raft.status().leaderId()));
    }

    @Test
    void aNewLeaderAppendsANoOpOfItsTermAndCommitsIt() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        c.stabilize();
        assertEquals(1, leader.raft.status().commitIndex());
        assertEquals(EntryType.NOOP, leader.log.entries(1, 1, 1000).get(0).type());
        assertEquals(1, leader.log.entries(1, 1, 1000).get(0).term());
    }

    @Test
    void electionTimeoutsAreRandomizedBetweenOneAndTwoElectionTimeouts() {
        for (long seed = 0; seed < 20; seed++) {
            TestCluster c = new TestCluster(3, cfg -> cfg, seed);
            TestCluster.Node n = c.node("n1");
            int ticks = 0;
            while (n.role() == Role.FOLLOWER && ticks < 100) {
                c.tick("n1", 1);
                ticks++;
            }
            assertTrue(ticks >= 10 && ticks < 20, "timeout after " + ticks + " ticks");
        }
    }

    @Test
    void preVoteDoesNotIncreaseTheTermUntilAMajorityWouldVote() {
        TestCluster c = new TestCluster(3);
        c.isolate("n1");
        c.tick("n1", 100);
        c.stabilize();
        assertEquals(0, c.node("n1").term(), "an isolated node keeps its term with PreVote");
        assertEquals(Role.PRE_CANDIDATE, c.node("n1").role());
    }

    @Test
    void withoutPreVoteAnIsolatedNodeKeepsRaisingItsTerm() {
        TestCluster c = new TestCluster(3, cfg -> cfg.withPreVoteAndCheckQuorum(false, false));
        c.isolate("n1");
        c.tick("n1", 100);
        assertTrue(c.node("n1").term() >= 3);
    }

    @Test
    void eachServerVotesForAtMostOneCandidateInATerm() {
        TestCluster c = new TestCluster(3, cfg -> cfg.withPreVoteAndCheckQuorum(false, false));
        TestCluster.Node n3 = c.node("n3");
        n3.raft.step(new RequestVote("n1", "n3", 1, 0, 0, false, false));
        n3.raft.step(new RequestVote("n2", "n3", 1, 0, 0, false, false));
        c.process(n3);
        List<RequestVoteResponse> answers = c.sent.stream().filter(m -> m instanceof RequestVoteResponse)
                .map(m -> (RequestVoteResponse) m).toList();
        assertEquals(2, answers.size());
        assertTrue(answers.get(0).granted());
        assertFalse(answers.get(1).granted());
        assertEquals("n1", n3.hardState.load().votedFor(), "the vote is persisted before it is sent");
    }

    @Test
    void aVoterDeniesACandidateWhoseLogIsLessUpToDate() {
        TestCluster c = new TestCluster(3, cfg -> cfg.withPreVoteAndCheckQuorum(false, false));
        c.elect("n1");
        c.node("n1").raft.propose(TestCluster.bytes("x"));
        c.stabilize();
        // n3's log ends at (2, term 1); a candidate with a shorter log of the same term is refused.
        TestCluster.Node n3 = c.node("n3");
        n3.raft.step(new RequestVote("n2", "n3", 5, 1, 1, false, false));
        c.process(n3);
        RequestVoteResponse r = (RequestVoteResponse) c.sent.get(c.sent.size() - 1);
        assertFalse(r.granted());
        assertEquals(5, n3.term(), "the higher term is still adopted");
    }

    @Test
    void aLeaderStepsDownWhenItSeesAHigherTerm() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        leader.raft.step(new AppendEntries("n2", "n1", 7, 0, 0, List.of(), 0, 0));
        c.process(leader);
        assertEquals(Role.FOLLOWER, leader.role());
        assertEquals(7, leader.term());
        assertEquals("n2", leader.raft.status().leaderId());
    }

    @Test
    void aCandidateReturnsToFollowerWhenAnotherLeaderOfItsTermAppears() {
        TestCluster c = new TestCluster(3, cfg -> cfg.withPreVoteAndCheckQuorum(false, false));
        c.isolate("n3");
        c.tick("n3", 25);
        assertEquals(Role.CANDIDATE, c.node("n3").role());
        long t = c.node("n3").term();
        c.node("n3").raft.step(new AppendEntries("n2", "n3", t, 0, 0, List.of(), 0, 0));
        c.process(c.node("n3"));
        assertEquals(Role.FOLLOWER, c.node("n3").role());
        assertEquals("n2", c.node("n3").raft.status().leaderId());
    }

    @Test
    void leadershipChangesAreReportedWithTheirCause() {
        TestCluster c = new TestCluster(3);
        c.elect("n1");
        LeaderChange first = c.node("n2").leaderChanges.get(0);
        assertNull(first.oldLeader());
        assertEquals("n1", first.newLeader());
        assertEquals(LeaderChange.Cause.STARTUP, first.cause());
        c.crash("n1");
        TestCluster.Node next = c.awaitLeader();
        LeaderChange second = next.leaderChanges.get(next.leaderChanges.size() - 1);
        assertEquals("n1", second.oldLeader());
        assertEquals(next.id, second.newLeader());
        assertEquals(LeaderChange.Cause.ELECTION_TIMEOUT, second.cause());
    }

    @Test
    void followersToldTheirLeaderIsGoneElectANewOneWithinAFewTicksInsteadOfAnElectionTimeout() {
        TestCluster c = new TestCluster(3, cfg -> cfg.withPeerLossHints(true)); // election timeout 10..19 ticks
        c.elect("n1");
        c.tick(1);
        c.crash("n1");
        c.node("n2").raft.peerLost("n1");
        c.node("n3").raft.peerLost("n1");
        c.tick(2);
        List<TestCluster.Node> leaders = c.leaders();
        assertEquals(1, leaders.size(), "a new leader within 2 ticks");
        assertEquals(2, leaders.get(0).term(), "one election, no split vote");
    }

    @Test
    void withoutThatReportTheSameCrashLeavesNoLeaderUntilAnElectionTimeout() {
        TestCluster c = new TestCluster(3);
        c.elect("n1");
        c.tick(1);
        c.crash("n1");
        c.tick(2);
        assertTrue(c.leaders().isEmpty());
    }

    @Test
    void aWrongReportThatTheLeaderIsGoneDoesNotDisturbIt() {
        TestCluster c = new TestCluster(3, cfg -> cfg.withPeerLossHints(true));
        c.elect("n1");
        c.tick(1);
        c.node("n2").raft.peerLost("n1");
        c.node("n2").raft.peerLost("n3"); // not its leader: ignored
        c.tick(30);
        assertEquals(List.of(c.node("n1")), c.leaders());
        c.nodes.values().forEach(n -> assertEquals(1, n.term(), n.id + " kept the term"));
        assertEquals("n1", c.node("n2").raft.status().leaderId());
    }

    @Test
    void aDriverThatDoesNotDeclarePeerLossHintsIsNotListenedTo() {
        TestCluster c = new TestCluster(3);
        c.elect("n1");
        c.tick(1);
        c.node("n2").raft.peerLost("n1");
        assertEquals("n1", c.node("n2").raft.status().leaderId(), "the lease it relies on stays intact");
    }
}
