package io.raftstore.core.scenario;

import io.raftstore.core.FailureReason;
import io.raftstore.core.ReadConsistency;
import io.raftstore.core.ReadState;
import io.raftstore.core.Role;
import io.raftstore.core.message.AppendEntries;
import io.raftstore.core.message.RaftMessage;
import io.raftstore.core.message.ReadIndexRequest;
import io.raftstore.core.message.TimeoutNow;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.raftstore.core.scenario.TestCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Linearizable reads by ReadIndex, lease reads and stale reads (dissertation section 6.4). */
class ReadTest {

    /** n1 elected, then one tick of the whole cluster: where the lease scenarios start. */
    private static TestCluster.Node settledLeader(TestCluster c) {
        TestCluster.Node leader = c.elect("n1");
        c.tick(1);
        return leader;
    }

    /** A LEASE read asked of {@code leader}, and the Ready that follows it. */
    private static void leaseRead(TestCluster c, TestCluster.Node leader, long id) {
        leader.raft.read(id, ReadConsistency.LEASE);
        c.process(leader);
    }

    /** LEASE read {@code id} is served at once, without a message to anyone ({@code why}). */
    private static void assertServedFromTheLease(TestCluster c, TestCluster.Node leader, long id, String why) {
        c.sent.clear();
        leaseRead(c, leader, id);
        assertEquals(id, leader.reads.size(), why + ": released at once");
        assertEquals(List.of(), c.sent, why + ": no round");
    }

    /** {@code leader}'s first LEASE read is not served from its lease ({@code why}) but after a round to a quorum. */
    private static void assertTheFirstLeaseReadTakesARound(TestCluster c, TestCluster.Node leader, String why) {
        c.sent.clear();
        leaseRead(c, leader, 1);
        assertEquals(List.of(), leader.reads, why + ": not from the lease");
        assertFalse(c.sent.isEmpty(), "a round to the followers instead");
        c.stabilize();
        assertEquals(1, leader.reads.size(), "released once a quorum confirmed");
    }

    @Test
    void aReadIsReleasedOnlyAfterAQuorumConfirmsLeadershipWithTheCommitIndexAsReadIndex() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        long commit = commitOneEntry(c, leader);
        leader.raft.read(1, ReadConsistency.LINEARIZABLE);
        c.process(leader);
        assertEquals(List.of(), leader.reads, "not before the heartbeat round is answered");
        c.stabilize();
        assertEquals(List.of(new ReadState(1, commit)), leader.reads);
    }

    @Test
    void aLeaderThatCannotReachAQuorumNeverReleasesTheRead() {
        TestCluster c = new TestCluster(3, cfg -> cfg.withPreVoteAndCheckQuorum(true, false));
        TestCluster.Node leader = c.elect("n1");
        c.isolate("n1");
        leader.raft.read(1, ReadConsistency.LINEARIZABLE);
        c.tick("n1", leader.config.requestTimeoutTicks());
        assertEquals(List.of(), leader.reads);
        assertEquals(FailureReason.TIMEOUT, leader.failures.get(0).reason());
    }

    @Test
    void concurrentReadsShareOneHeartbeatRound() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        c.sent.clear();
        for (long id = 1; id <= 100; id++) {
            leader.raft.read(id, ReadConsistency.LINEARIZABLE);
        }
        c.stabilize();
        assertEquals(100, leader.reads.size());
        long heartbeats = c.sent.stream().filter(m -> m instanceof AppendEntries).count();
        assertEquals(2, heartbeats, "one round: one heartbeat per follower");
    }

    @Test
    void aFollowerAsksTheLeaderForAReadIndexAndWaitsUntilItHasApplied() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        TestCluster.Node n2 = c.node("n2");
        // n2 misses the new entry's commit for now
        c.drop = m -> m.to().equals("n2") && m instanceof AppendEntries;
        leader.raft.propose(bytes("a"));
        c.stabilize();
        long commit = leader.raft.status().commitIndex();
        c.heal();
        c.drop = m -> m.to().equals("n2") && m instanceof AppendEntries a && !a.entries().isEmpty();
        n2.raft.read(7, ReadConsistency.LINEARIZABLE);
        c.stabilize();
        assertTrue(c.sent.stream().anyMatch(m -> m instanceof ReadIndexRequest));
        assertEquals(List.of(), n2.reads, "n2 has not applied the read index yet");
        c.heal();
        c.tick(2);
        assertEquals(List.of(new ReadState(7, commit)), n2.reads);
        assertEquals(List.of("a"), n2.stateMachine.applied);
    }

    @Test
    void aFollowerAsksTheLeaderOnceForEveryReadThatArrivedBeforeItsNextReady() {
        TestCluster c = new TestCluster(3);
        long commit = commitOneEntry(c, c.elect("n1"));
        TestCluster.Node n2 = c.node("n2");
        c.sent.clear();
        for (long id = 1; id <= 100; id++) {
            n2.raft.read(id, ReadConsistency.LINEARIZABLE);
        }
        c.stabilize();
        assertEquals(1, c.sent.stream().filter(m -> m instanceof ReadIndexRequest).count(), "one request for all 100");
        assertEquals(100, n2.reads.size());
        assertTrue(n2.reads.stream().allMatch(r -> r.readIndex() == commit), n2.reads.toString());
    }

    /**
     * A read that arrives once the follower has asked must not wait for that answer: the leader may confirm an
     * index from before the read began, missing a write acknowledged in between. Here the first request is lost
     * and a write commits before the second read; the second read is asked for on its own and sees the write.
     */
    @Test
    void aReadArrivingAfterTheFollowerAskedIsAskedForAgain() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        TestCluster.Node n2 = c.node("n2");
        c.sent.clear();
        c.drop = m -> m instanceof ReadIndexRequest;
        n2.raft.read(1, ReadConsistency.LINEARIZABLE);
        c.process(n2);
        leader.raft.propose(bytes("acknowledged before read 2"));
        c.stabilize();
        long commit = leader.raft.status().commitIndex();
        c.heal();
        n2.raft.read(2, ReadConsistency.LINEARIZABLE);
        c.stabilize();
        assertEquals(2, c.sent.stream().filter(m -> m instanceof ReadIndexRequest).count(), "one request each");
        assertEquals(List.of(new ReadState(2, commit)), n2.reads, "read 1's answer was lost; read 2 has its own");
    }

    @Test
    void aNewLeaderServesReadsOnlyAfterCommittingAnEntryOfItsTerm() {
        TestCluster c = new TestCluster(3);
        c.drop = m -> m.from().equals("n1") && m instanceof AppendEntries a && !a.entries().isEmpty();
        TestCluster.Node leader = c.elect("n1");
        leader.raft.read(1, ReadConsistency.LINEARIZABLE);
        c.stabilize();
        assertEquals(List.of(), leader.reads, "its no-op is not committed: it cannot know the commit index");
        c.heal();
        c.tick(2);
        assertEquals(1, leader.reads.size());
        assertEquals(leader.raft.status().commitIndex(), leader.reads.get(0).readIndex());
    }

    @Test
    void aLeaseReadOnAHealthyLeaderNeedsNoRoundTrip() {
        TestCluster c = new TestCluster(3);
        assertServedFromTheLease(c, settledLeader(c), 1, "a settled leader");
    }

    @Test
    void afterAStallALeaderServesFromItsLeaseOnlyOnceARoundSentSinceWasAnswered() {
        // The process was paused (GC, SIGSTOP) for longer than its ticks say: the answers it holds may be older
        // than an election timeout, and the followers may have elected another leader meanwhile.
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = settledLeader(c);
        leader.raft.stalled();
        assertTheFirstLeaseReadTakesARound(c, leader, "answers to rounds sent before the stall");
        assertServedFromTheLease(c, leader, 2, "the round sent after the stall renewed the lease");
    }

    @Test
    void withPeerLossHintsALeaseReadStillConfirmsLeadershipWithARound() {
        // Followers told the leader is gone vote at once, so a lease no longer proves anything.
        TestCluster c = new TestCluster(3, cfg -> cfg.withPeerLossHints(true));
        assertTheFirstLeaseReadTakesARound(c, settledLeader(c), "hints everywhere");
    }

    @Test
    void onlyFollowersThatHonourLeasesHoldOneUp() {
        // A node with peer-loss hints (its lease setting differs from the leader's, say halfway through a
        // rolling restart) votes as soon as it is told the leader's connections closed: its answers prove
        // nothing about how long the leader stays leader.
        TestCluster mixed = new TestCluster(3, cfg -> cfg.withPeerLossHints(!cfg.nodeId().equals("n1")));
        assertTheFirstLeaseReadTakesARound(mixed, settledLeader(mixed), "n2 and n3 may vote early");

        TestCluster quorum = new TestCluster(3, cfg -> cfg.withPeerLossHints(cfg.nodeId().equals("n3")));
        assertServedFromTheLease(quorum, settledLeader(quorum), 1, "n1 and n2 honour leases, a quorum of three");
    }

    @Test
    void aLeaseReadFallsBackToReadIndexWhenTheLeaseHasExpired() {
        TestCluster c = new TestCluster(3, cfg -> cfg.withPreVoteAndCheckQuorum(true, true).withTimeouts(1, 10, 100));
        TestCluster.Node leader = c.elect("n1");
        c.isolate("n1");
        c.tick("n1", 9);
        leaseRead(c, leader, 1);
        assertEquals(List.of(), leader.reads, "nine ticks without answers: the lease is no longer safe");
    }

    @Test
    void aLeaseEndsFourTicksAndATenthOfTheElectionTimeoutBeforeAFollowerCouldVote() {
        // A follower's election timeout can run out electionTicks - 2 ticks of real time after our heartbeat (a
        // tick overdue when it arrived comes right after it), and this leader's own ticks may run up to two behind
        // real time without the driver reporting a stall: 4 ticks, and a tenth more for the clocks' drift.
        TestCluster c = new TestCluster(3, cfg -> cfg.withTimeouts(5, 20, 100));
        TestCluster.Node leader = c.elect("n1");
        leader.raft.read(1, ReadConsistency.LINEARIZABLE); // a round both followers answer, sent now
        c.stabilize();
        c.isolate("n1");
        c.tick("n1", 20 - 4 - 2 - 1);
        assertEquals(1, leader.raft.leaseTicksLeft(), "what a driver serving lease reads itself is told");
        leaseRead(c, leader, 2);
        assertEquals(2, leader.reads.size(), "13 ticks after the round: still within the lease");
        c.tick("n1", 1);
        assertEquals(0, leader.raft.leaseTicksLeft());
        leaseRead(c, leader, 3);
        assertEquals(2, leader.reads.size(), "14 ticks after it: a follower may vote 4 ticks of its own later");
    }

    @Test
    void aLeaseEndsByTheFollowersPromisesNotByTheLeadersOwnTimeout() {
        // Halfway through a rolling restart that shortens the election timeout, the leader still has the old one:
        // its followers vote sooner than its own timeout says. Each answer says for how long (in real time) its
        // sender grants no vote, and the lease ends by what a quorum promised (the whole-node simulation's seed
        // 700226: a leader with 26 ticks served lease reads after followers with 11 and 13 had elected another).
        TestCluster shorter = new TestCluster(3, cfg -> cfg.withTimeouts(5, cfg.nodeId().equals("n1") ? 20 : 10, 100));
        TestCluster.Node n1 = shorter.elect("n1");
        n1.raft.read(1, ReadConsistency.LINEARIZABLE); // a round both followers answer, sent now
        shorter.stabilize();
        shorter.isolate("n1");
        // n2 and n3 may vote 10 - 2 ticks after that round; the lease ends 2 ticks and a tenth sooner.
        assertEquals(10 - 2 - 2 - 1, n1.raft.leaseTicksLeft(), "by n2's and n3's timeouts, not n1's 20 ticks");
        shorter.tick("n1", 5);
        assertEquals(0, n1.raft.leaseTicksLeft());
        leaseRead(shorter, n1, 2);
        assertEquals(1, n1.reads.size(), "5 ticks after the round a lease read waits for a round");

        // Ticks of different lengths: n2 and n3 tick every 5 ms, 20 ticks, so they promise (20 - 2) * 5 ms = 90 ms,
        // 9 of n1's 10 ms ticks.
        TestCluster faster = new TestCluster(3, cfg -> cfg.withTimeouts(5, 20, 100)
                .withTickMicros(cfg.nodeId().equals("n1") ? 10_000 : 5_000));
        TestCluster.Node leader = faster.elect("n1");
        leader.raft.read(1, ReadConsistency.LINEARIZABLE);
        faster.stabilize();
        assertEquals(9 - 2 - 1, leader.raft.leaseTicksLeft(), "90 ms promised: 9 ticks of n1's, less 2 and a tenth");
    }

    @Test
    void aRestartedFollowerGrantsNoVoteForAnElectionTimeoutBecauseALeaseMayStillCountItsLastAnswer() {
        // n1's lease rests on n2's answer to its latest heartbeat: n3 has been cut off from n1 for a while.
        TestCluster c = new TestCluster(3);
        TestCluster.Node n1 = c.elect("n1");
        c.commit("n1", "a");
        c.drop = m -> Set.of(m.from(), m.to()).equals(Set.of("n1", "n3"));
        c.tick(2 * n1.config.electionTicks());
        // n2 crashes right after answering and restarts at once, knowing no leader.
        c.crash("n2");
        c.restart("n2");
        TestCluster.Node n3 = c.node("n3");
        c.tick("n3", 2 * n3.config.electionTicks());
        c.stabilize();
        // Had n2 voted, n3 would lead and commit writes that n1's lease reads, still served, do not see.
        assertNotEquals(Role.LEADER, n3.role(), "n2 voted while n1's lease may still count its answer");
        n1.raft.read(1, ReadConsistency.LEASE);
        c.process(n1);
        assertEquals(List.of(new ReadState(1, n1.raft.status().commitIndex())), n1.reads, "the lease holds");

        // Once n2 has been up for an election timeout, that lease has run out and it votes again.
        c.tick("n2", c.node("n2").config.electionTicks());
        c.tick("n3", 2 * n3.config.electionTicks());
        c.stabilize();
        assertTrue(c.node("n2").role() == Role.LEADER || n3.role() == Role.LEADER, "n2 and n3 elect a leader");
    }

    @Test
    void afterSendingTimeoutNowALeaderNeverServesFromItsLeaseAgainInThatTerm() {
        // The TimeoutNow is delayed in the network past the transfer's abort, then arrives after all.
        TestCluster c = new TestCluster(3);
        TestCluster.Node n1 = c.elect("n1");
        c.commit("n1", "a");
        c.drop = m -> m instanceof TimeoutNow;
        assertTrue(n1.raft.leaseTicksLeft() > 0);
        n1.raft.transferLeadership("n3");
        c.process(n1);
        assertEquals(0, n1.raft.leaseTicksLeft(), "a transfer under way: the transferee's votes pass every lease");
        RaftMessage late = c.sent.stream().filter(m -> m instanceof TimeoutNow).findFirst().orElseThrow();
        c.tick(n1.config.electionTicks());
        assertFalse(n1.raft.status().transferring(), "the transfer was given up");
        // n3 campaigns as a transferee, which no lease holds back, and commits b without n1 hearing of it.
        c.drop = m -> m.from().equals("n1") || m.to().equals("n1");
        TestCluster.Node n3 = c.node("n3");
        n3.raft.step(late);
        c.stabilize();
        assertEquals(Role.LEADER, n3.role());
        n3.raft.propose(bytes("b"));
        c.stabilize();

        assertEquals(0, n1.raft.leaseTicksLeft(), "nor after it was given up, in this term");
        n1.raft.read(1, ReadConsistency.LEASE);
        c.process(n1);
        assertEquals(List.of(), n1.reads, "a lease read now would miss b");
        c.heal();
        c.tick(1);
        assertEquals(List.of(), n1.reads);
        assertEquals(FailureReason.NOT_LEADER, n1.failures.get(0).reason(), "the round shows n1 was deposed");
    }

    @Test
    void aStaleReadIsServedAtOnceFromWhatThisNodeHasApplied() {
        TestCluster c = new TestCluster(3);
        c.elect("n1");
        c.isolate("n3");
        TestCluster.Node n3 = c.node("n3");
        n3.raft.read(5, ReadConsistency.STALE);
        c.process(n3);
        assertEquals(List.of(new ReadState(5, n3.raft.status().appliedIndex())), n3.reads);
    }

    @Test
    void aReadOnAFollowerWithoutAKnownLeaderFailsRetryably() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node n2 = c.node("n2");
        n2.raft.read(1, ReadConsistency.LINEARIZABLE);
        c.process(n2);
        assertEquals(FailureReason.NOT_LEADER, n2.failures.get(0).reason());
        assertTrue(!n2.failures.get(0).reason().mayHaveTakenEffect());
    }

    /** The leader commits one entry everywhere; returns the commit index after it. */
    private static long commitOneEntry(TestCluster c, TestCluster.Node leader) {
        leader.raft.propose(bytes("a"));
        c.stabilize();
        return leader.raft.status().commitIndex();
    }
}
