package io.raftstore.core.scenario;

import io.raftstore.core.ConfigChange;
import io.raftstore.core.Ready;
import io.raftstore.core.Role;
import io.raftstore.core.message.AppendEntries;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12, finding 1: a voter whose data directory was wiped and that started again with the same
 * configuration has amnesia. It must not help elect a leader that lacks entries it acknowledged, nor be
 * counted by a leader for what its old incarnation held, and it must catch up.
 */
class WipedVoterTest {

    @Test
    void aWipedVoterCannotHelpAStaleCandidateOverwriteWhatItHadAcknowledged() {
        TestCluster c = new TestCluster(3);
        c.elect("n1");
        c.commit("n1", "a", "b");
        c.isolate("n3");
        c.commit("n1", "c", "d"); // committed by n1 and n2 only
        assertEquals(List.of("a", "b", "c", "d"), c.node("n2").stateMachine.applied);
        c.wipe("n2");
        c.crash("n1"); // before it heard from the new n2
        c.heal();
        c.tick(300);
        assertTrue(c.leaders().isEmpty(), "with n1 down nobody holding c and d may lead, but "
                + c.leaders().stream().map(n -> n.id).toList() + " won (the wiped n2 voted for a log without c and d)");
        c.restart("n1");
        TestCluster.Node leader = c.awaitLeader();
        assertEquals("n1", leader.id, "only n1 holds c and d");
        c.commit("n1", "e");
        for (String id : List.of("n1", "n2", "n3")) {
            assertEquals(List.of("a", "b", "c", "d", "e"), c.node(id).stateMachine.applied.subList(
                    c.node(id).stateMachine.applied.size() - 5, c.node(id).stateMachine.applied.size()), id);
        }
        assertTrue(c.node("n2").hardState.load().caughtUp(), "n2 was confirmed caught up");
    }

    @Test
    void aWipedVoterCatchesUpUnderTheSameLeaderAndCountsAgainOnlyThen() {
        TestCluster c = new TestCluster(3);
        c.elect("n1");
        c.commit("n1", "a", "b", "c");
        c.wipe("n2");
        assertFalse(c.node("n2").hardState.load().caughtUp());
        c.tick(20);
        assertEquals(c.node("n1").raft.status().lastIndex(), c.node("n2").raft.status().lastIndex(),
                "the leader started over with the new incarnation instead of trusting the old one's match");
        assertEquals(List.of("a", "b", "c"), c.node("n2").stateMachine.applied);
        assertTrue(c.node("n2").hardState.load().caughtUp(), "the leader confirmed it, and it persisted that");
        c.isolate("n3");
        c.commit("n1", "d");
        assertEquals(List.of("a", "b", "c", "d"), c.node("n2").stateMachine.applied, "it counts toward commitment again");
    }

    @Test
    void aLeaderRemovingItselfLeavesOnlyOnceTheWipedVoterItConfirmedKnowsItMayVoteAgain() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node n1 = c.elect("n1");
        c.commit("n1", "a", "b");
        c.wipe("n3");
        long removal = n1.raft.proposeMembership(new ConfigChange(ConfigChange.Type.REMOVE_MEMBER, "n1")).index();
        c.processAll();
        for (int i = 0; i < 10_000 && n1.raft.status().commitIndex() < removal; i++) {
            if (c.network.isEmpty()) {
                c.tick("n1", 1);
            } else {
                c.deliverOne();
            }
        }
        assertTrue(n1.raft.status().commitIndex() >= removal, "the removal committed");
        // The removed leader stops at once, and what it still had in flight dies with its connections.
        c.crash("n1");
        c.network.removeIf(m -> m.from().equals("n1"));
        assertTrue(c.node("n3").hardState.load().caughtUp(),
                "n3 knew it was confirmed before n1 left: otherwise it may never vote, and n2 never win");
        c.tick(300);
        assertEquals(1, c.leaders().size(), "n2 and n3, the voters left, elect a leader");
    }

    @Test
    void aNewClustersFirstElectionNeedsEveryVoter() {
        TestCluster c = new TestCluster(3);
        c.crash("n3");
        c.tick(200);
        assertTrue(c.leaders().isEmpty(), "two of three fresh voters could be a wiped one and a stale one");
        c.restart("n3");
        c.awaitLeader();
        c.tick(5);
        for (String id : List.of("n1", "n2", "n3")) {
            assertTrue(c.node(id).hardState.load().caughtUp(), id + " learned the first election was won");
        }
    }

    @Test
    void theFirstLeadersVotersAreCaughtUpByItsFirstMessageSoItCanBeReElectedAfterACrash() {
        TestCluster c = new TestCluster(3);
        c.elect("n1");
        c.crash("n1");
        c.restart("n1");
        TestCluster.Node leader = c.awaitLeader();
        assertEquals(Role.LEADER, leader.role());
    }

    /**
     * Found by the whole-node simulation (seed 700473): the first leader appended its term's first entry and
     * crashed before any AppendEntries reached its voters, so they stayed not caught up. They would grant a vote
     * only to an empty-log candidate, which the restarted n1 (its log longer) refused: no leader, ever. A grant
     * from a voter that is not caught up now counts toward an election every voter grants.
     */
    @Test
    void aFirstLeaderThatCrashedBeforeItsVotersHeardFromItCanStillBeElectedByEveryVoter() {
        TestCluster c = new TestCluster(3);
        c.drop = m -> m instanceof AppendEntries;
        c.elect("n1");
        assertEquals(1, c.node("n1").raft.status().lastIndex(), "n1 holds the first entry of its term");
        c.crash("n1");
        c.heal();
        c.restart("n1");
        for (String id : List.of("n2", "n3")) {
            assertFalse(c.node(id).hardState.load().caughtUp(), id + " never heard from its leader");
        }
        TestCluster.Node leader = c.awaitLeader();
        assertEquals("n1", leader.id, "only a log at least as up to date as n1's may win, and every voter's grant");
        c.commit("n1", "a");
        for (String id : List.of("n1", "n2", "n3")) {
            assertEquals(List.of("a"), c.node(id).stateMachine.applied, id);
        }
        c.tick(5);
        for (String id : List.of("n2", "n3")) {
            assertTrue(c.node(id).hardState.load().caughtUp(), id + " confirmed caught up by the leader");
        }
    }

    /** With one voter down, grants from voters that are not caught up elect nobody: they need every voter. */
    @Test
    void grantsFromVotersThatAreNotCaughtUpNeedEveryVoter() {
        TestCluster c = new TestCluster(3);
        c.drop = m -> m instanceof AppendEntries;
        c.elect("n1");
        c.crash("n1");
        c.crash("n3");
        c.heal();
        c.restart("n1");
        c.tick(300);
        assertTrue(c.leaders().isEmpty(), "n1 and the not caught-up n2 alone are not every voter");
        c.restart("n3");
        assertEquals("n1", c.awaitLeader().id);
    }

    /**
     * Found by the whole-node simulation (seed 132): the flag rode unsynced with a commit-index Ready, a
     * crash took it back, and a second wipe the console allowed left two voters of three that would not
     * vote: no leader, ever. The node announces the flag (the leader then counts it), so it must be on disk.
     */
    @Test
    void theCaughtUpFlagIsForcedToDiskInTheReadyThatSetsIt() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        c.commit("n1", "a", "b");
        leader.persister.snapshotAndCompact(leader.raft, 0); // n2 catches up by snapshot, confirmed later
        c.wipe("n2");
        c.tick(20);
        assertTrue(c.node("n2").hardState.load().caughtUp(), "n2 was caught up");
        for (Ready rd : c.node("n2").readies) {
            if (rd.hardState() != null && rd.hardState().caughtUp() && !rd.persistedHardState().caughtUp()) {
                assertTrue(rd.mustSync(), "the Ready that sets caughtUp lets the driver skip the fsync: " + rd);
                assertFalse(rd.messagesMayPrecedePersist(), "the answer to the leader reports it: " + rd);
            }
        }
    }
}
