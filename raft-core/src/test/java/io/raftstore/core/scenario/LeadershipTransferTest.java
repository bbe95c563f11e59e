package io.raftstore.core.scenario;

import io.raftstore.core.FailureReason;
import io.raftstore.core.LeaderChange;
import io.raftstore.core.RequestRejectedException;
import io.raftstore.core.Role;
import io.raftstore.core.message.AppendEntries;
import io.raftstore.core.message.TimeoutNow;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.raftstore.core.scenario.TestCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leadership transfer (dissertation section 3.10). */
class LeadershipTransferTest {

    @Test
    void anUpToDateTargetIsToldToTimeOutNowAndWinsTheNextTerm() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        leader.raft.transferLeadership("n3");
        c.stabilize();
        assertTrue(c.sent.stream().anyMatch(m -> m instanceof TimeoutNow t && t.to().equals("n3")));
        assertEquals(Role.LEADER, c.node("n3").role());
        assertEquals(2, c.node("n3").term());
        assertEquals(Role.FOLLOWER, leader.role());
        LeaderChange change = c.node("n2").leaderChanges.get(c.node("n2").leaderChanges.size() - 1);
        assertEquals(LeaderChange.Cause.TRANSFER, change.cause());
        assertEquals("n1", change.oldLeader());
    }

    @Test
    void theNewLeadersFirstProposalGoesOutWithoutWaitingForAnswersToItsNoop() {
        // A graceful stop hands leadership over while clients keep writing: the requests that waited go to
        // the new leader at once, and it streams them right behind its no-op (Raft's nextIndex = last + 1)
        // instead of probing each follower first, which cost one more round trip and follower fsync.
        TestCluster c = new TestCluster(3);
        TestCluster.Node old = c.elect("n1");
        c.commit("n1", "a");
        old.raft.transferLeadership("n2");
        c.process(old);
        TestCluster.Node next = c.node("n2");
        while (next.role() != Role.LEADER && !c.network.isEmpty()) {
            c.deliverOne();
        }
        assertEquals(Role.LEADER, next.role());
        int sentBefore = c.sent.size();
        long index = next.raft.propose(bytes("first")).index();
        c.process(next);
        List<String> carried = c.sent.subList(sentBefore, c.sent.size()).stream()
                .filter(m -> m instanceof AppendEntries ae && ae.entries().stream().anyMatch(e -> e.index() == index))
                .map(m -> m.to()).sorted().toList();
        assertEquals(List.of("n1", "n3"), carried, "the proposal went to both followers before they answered the no-op");
        c.stabilize();
        c.tick(2);
        assertEquals(List.of("a", "first"), c.node("n1").stateMachine.applied);
        assertEquals(List.of("a", "first"), c.node("n3").stateMachine.applied);
    }

    @Test
    void aLaggingTargetIsCaughtUpFirst() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        c.isolate("n3");
        leader.raft.propose(bytes("a"));
        c.stabilize();
        c.heal();
        leader.raft.transferLeadership("n3");
        c.stabilize();
        assertEquals(Role.LEADER, c.node("n3").role());
        assertEquals(List.of("a"), c.node("n3").stateMachine.applied);
    }

    @Test
    void withoutATargetTheMostCaughtUpVoterIsChosen() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        c.isolate("n2");
        leader.raft.propose(bytes("a"));
        c.stabilize();
        c.heal();
        c.drop = m -> m.to().equals("n2") && m instanceof AppendEntries;
        leader.raft.transferLeadership(null);
        c.stabilize();
        assertEquals(Role.LEADER, c.node("n3").role());
    }

    @Test
    void proposalsAreRefusedRetryablyDuringATransferAndAcceptedAgainWhenItAborts() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        c.isolate("n3");
        leader.raft.transferLeadership("n3");
        RequestRejectedException e = assertThrows(RequestRejectedException.class, () -> leader.raft.propose(bytes("x")));
        assertEquals(FailureReason.TRANSFER_IN_PROGRESS, e.reason());
        c.tick(leader.config.electionTicks());
        assertEquals(Role.LEADER, leader.role(), "the transfer aborted; n1 still leads");
        leader.raft.propose(bytes("x"));
    }

    @Test
    void transferringToANonVoterIsRefused() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        RequestRejectedException e = assertThrows(RequestRejectedException.class, () -> leader.raft.transferLeadership("n9"));
        assertEquals(FailureReason.REJECTED, e.reason());
    }
}
