package io.raftstore.core.scenario;

import io.raftstore.core.message.AppendEntries;
import io.raftstore.core.message.AppendEntriesResponse;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.raftstore.core.scenario.TestCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Log replication and commitment, Raft paper sections 5.3 and 5.4.2. */
class ReplicationTest {

    @Test
    void anEntryCommitsOnceAMajorityStoresItAndEveryNodeAppliesIt() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        c.isolate("n3");
        long index = leader.raft.propose(bytes("a")).index();
        c.stabilize();
        assertEquals(index, leader.raft.status().commitIndex(), "n1 + n2 are a majority");
        assertEquals(List.of("a"), leader.stateMachine.applied);
        assertEquals("1", leader.results.get(index), "the proposer gets the state machine's result");
        c.heal();
        c.tick(2);
        assertEquals(List.of("a"), c.node("n3").stateMachine.applied);
    }

    @Test
    void theLeaderCountsItselfOnlyAfterPersisting() {
        TestCluster c = new TestCluster(1);
        TestCluster.Node leader = c.elect("n1");
        long index = leader.raft.propose(bytes("a")).index();
        var rd = leader.raft.ready();
        assertEquals(List.of(), rd.committedEntries(), "not committed before its own append is durable");
        leader.persister.persist(rd);
        leader.raft.advance(rd);
        assertEquals(index, leader.raft.status().commitIndex());
    }

    @Test
    void withoutAMajorityNothingCommits() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        c.partition(List.of("n1"));
        leader.raft.propose(bytes("a"));
        c.stabilize();
        assertEquals(1, leader.raft.status().commitIndex());
        assertEquals(List.of(), leader.stateMachine.applied);
    }

    @Test
    void proposalsOfOneTurnTravelInOneAppendEntries() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        c.sent.clear();
        for (int i = 0; i < 50; i++) {
            leader.raft.propose(bytes("v" + i));
        }
        c.process(leader);
        List<AppendEntries> toN2 = appendsTo(c, "n2");
        assertEquals(1, toN2.size());
        assertEquals(50, toN2.get(0).entries().size());
    }

    @Test
    void theLeaderPipelinesSeveralAppendEntriesUpToTheInflightLimit() {
        TestCluster c = new TestCluster(3, cfg -> cfg.withBatching(3, 1 << 20, 100, 1024));
        TestCluster.Node leader = c.elect("n1");
        c.sent.clear();
        for (int i = 0; i < 20; i++) {
            leader.raft.propose(bytes("v" + i)); // 34 bytes each: at most 2 per 100-byte message
        }
        c.process(leader);
        assertEquals(3, appendsTo(c, "n2").size(), "three messages in flight, then wait for answers");
        c.stabilize();
        assertEquals(21, c.node("n2").raft.status().commitIndex());
    }

    @Test
    void aBurstOfStaleAnswersFromAFollowerBackFromAPartitionSendsOneWindowNotOneAppendEach() {
        // Seen on real servers: a follower cut off for seconds answered, once healed, the hundreds of
        // heartbeats queued for it meanwhile; each answer flipped it probe -> replicate -> probe and sent the
        // whole catch-up again (343 copies of a 3,508-entry AppendEntries in one Ready: the leader's loop
        // stalled 250 ms and the other follower started an election). Answers that move nothing may change
        // the follower's state once, never the amount in flight.
        TestCluster c = new TestCluster(3, cfg -> cfg.withBatching(3, 1 << 20, 100, 1024));
        TestCluster.Node leader = c.elect("n1");
        c.stabilize();
        long match = c.node("n3").raft.status().lastIndex();
        c.isolate("n3");
        for (int i = 0; i < 20; i++) {
            leader.raft.propose(bytes("v" + i)); // two per 100-byte message
        }
        c.tick(40); // heartbeats go unanswered: n3's progress goes back to probing
        c.heal();
        c.network.clear();
        c.sent.clear();
        long term = leader.raft.status().term();
        for (int i = 0; i < 50; i++) { // the answers to 50 heartbeats sent at n3's old match, all at once
            leader.raft.step(new AppendEntriesResponse("n3", "n1", term, true, match, -1, 0, 0));
        }
        c.process(leader);
        // At most a probe (the window sent before the cut was lost) and then one window of three.
        int appends = appendsTo(c, "n3").size();
        assertTrue(appends <= 4, appends + " AppendEntries with entries for 50 duplicate answers (window 3)");
        c.stabilize();
        assertEquals(leader.raft.status().lastIndex(), c.node("n3").raft.status().lastIndex(), "n3 caught up");
    }

    @Test
    void aFollowerDropsAConflictingSuffixAndTakesTheLeadersEntries() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node old = c.elect("n1");
        c.partition(List.of("n1"));
        for (int i = 0; i < 5; i++) {
            old.raft.propose(bytes("lost" + i)); // never reach a majority
        }
        c.stabilize();
        c.tick(40);
        TestCluster.Node leader = c.leaders().stream().filter(n -> !n.id.equals("n1")).findFirst().orElseThrow();
        leader.raft.propose(bytes("kept"));
        c.stabilize();
        c.heal();
        c.tick(5);
        assertEquals(List.of("kept"), old.stateMachine.applied);
        assertEquals(leader.log.lastIndex(), old.log.lastIndex());
        assertEquals(leader.log.entries(1, leader.log.lastIndex(), 1 << 20), old.log.entries(1, old.log.lastIndex(), 1 << 20));
    }

    @Test
    void aRejectionCarriesAConflictHintSoTheLeaderSkipsAWholeTermAtOnce() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node old = c.elect("n1");
        c.partition(List.of("n1"));
        for (int i = 0; i < 30; i++) {
            old.raft.propose(bytes("lost" + i)); // n1's stale term-1 suffix, indexes 2..31
        }
        c.stabilize();
        c.tick(40);
        TestCluster.Node first = c.leaders().stream().filter(n -> !n.id.equals("n1")).findFirst().orElseThrow();
        for (int i = 0; i < 10; i++) {
            first.raft.propose(bytes("kept" + i));
        }
        c.stabilize();
        // A leader elected while n1 is reachable probes n1 optimistically at its own last index, which
        // falls inside n1's stale suffix: n1 must refuse, and its hint must skip the whole stale term.
        // (Heartbeats alone would never be refused: they probe at the match point.)
        c.crash(first.id);
        c.heal();
        c.sent.clear();
        TestCluster.Node leader = c.awaitLeader();
        c.tick(5);
        List<AppendEntriesResponse> rejections = c.sent.stream()
                .filter(m -> m instanceof AppendEntriesResponse r && !r.success() && r.from().equals("n1"))
                .map(m -> (AppendEntriesResponse) m).toList();
        assertFalse(rejections.isEmpty(), "n1's stale entries must be refused at least once");
        assertTrue(rejections.size() <= 2, "one hint skips the whole stale term, not one index at a time: " + rejections);
        assertEquals(leader.log.lastIndex(), c.node("n1").log.lastIndex(), "and n1 caught up with the leader");
        assertEquals(leader.log.term(leader.log.lastIndex()), c.node("n1").log.term(c.node("n1").log.lastIndex()));
    }

    @Test
    void aLeaderNeverCommitsAnEntryOfAnEarlierTermByCountingReplicas() {
        // Figure 8: an entry of term 1 reaches a majority only after its leader was re-elected in term 2.
        // Counting replicas of an old-term entry is not enough; it commits only with an entry of term 2.
        TestCluster c = new TestCluster(3, cfg -> cfg.withPreVoteAndCheckQuorum(false, false));
        TestCluster.Node n1 = c.elect("n1");
        c.drop = m -> m.to().equals("n3") || (m instanceof AppendEntriesResponse && m.from().equals("n2"));
        long oldIndex = n1.raft.propose(bytes("old")).index();
        c.stabilize();
        assertEquals(oldIndex, c.node("n2").log.lastIndex(), "n2 stored it, n1 never heard back");
        c.crash("n1");
        c.restart("n1");
        n1 = c.node("n1");
        c.drop = m -> m.from().equals("n1") && m instanceof AppendEntries;
        c.elect("n1");
        assertEquals(2, n1.term());
        long noop = n1.log.lastIndex();
        n1.raft.step(new AppendEntriesResponse("n2", "n1", 2, true, oldIndex, -1, 0, 0));
        c.process(n1);
        assertEquals(1, n1.raft.status().commitIndex(), "old-term entry on n1+n2 must not commit by counting");
        n1.raft.step(new AppendEntriesResponse("n2", "n1", 2, true, noop, -1, 0, 0));
        c.process(n1);
        assertEquals(noop, n1.raft.status().commitIndex(), "the term-2 entry commits, and the old one with it");
        assertEquals(List.of("old"), n1.stateMachine.applied);
    }

    private static List<AppendEntries> appendsTo(TestCluster c, String to) {
        return c.sent.stream().filter(m -> m instanceof AppendEntries a && a.to().equals(to) && !a.entries().isEmpty())
                .map(m -> (AppendEntries) m).toList();
    }

}
