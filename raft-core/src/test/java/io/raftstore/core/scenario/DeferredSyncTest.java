package io.raftstore.core.scenario;

import io.raftstore.core.Ready;
import io.raftstore.core.Role;
import io.raftstore.core.message.RaftMessage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.raftstore.core.scenario.TestCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A leader's own fsync off its event loop (dissertation §10.2.1): its new entries are written unforced
 * ({@link Ready#syncMayFollow()}) and count as its own copy only once the driver reports them synced.
 */
class DeferredSyncTest {

    @Test
    void aLeaderCountsItsUnsyncedCopyOnlyOnceItIsSynced() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = deferringLeader(c);
        c.isolate("n3");
        long index = leader.raft.propose(bytes("a")).index();
        c.stabilize();
        assertTrue(index > leader.raft.status().commitIndex(),
                "n2's copy alone is no majority while n1's own is not durable");
        c.sync("n1");
        assertEquals(index, leader.raft.status().commitIndex(), "n1 + n2 are a majority once n1 synced");
        assertEquals(List.of("a"), leader.stateMachine.applied);
    }

    @Test
    void twoFollowersCommitWithoutTheLeadersCopyButTheLeaderAppliesOnlyWhatItHoldsDurably() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = deferringLeader(c);
        long index = leader.raft.propose(bytes("a")).index();
        c.stabilize();
        assertEquals(index, leader.raft.status().commitIndex(), "n2 + n3 are a majority without n1");
        assertEquals(List.of(), leader.stateMachine.applied,
                "a state machine is never ahead of its own durable log (a restart checks that)");
        c.sync("n1");
        assertEquals(List.of("a"), leader.stateMachine.applied);
        assertEquals("1", leader.results.get(index), "the proposer is answered once it is applied");
    }

    @Test
    void aLeaderThatStepsDownForcesWhatItWroteUnsyncedBeforeItsFirstReadyAsFollower() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = deferringLeader(c);
        c.isolate("n1");
        leader.raft.propose(bytes("a"));
        c.process(leader);
        int before = leader.readies.size();
        c.tick("n1", 2 * leader.config.electionTicks()); // CheckQuorum: n1 steps down in the same term
        assertEquals(Role.FOLLOWER, leader.role());
        Ready first = leader.readies.subList(before, leader.readies.size()).stream()
                .filter(r -> r.softState() != null && r.softState().role() == Role.FOLLOWER).findFirst().orElseThrow();
        assertTrue(first.entries().isEmpty(), "nothing new to write: only the unsynced entry makes it force");
        assertTrue(first.mustSync(), "its votes and acknowledgements may vouch for the unsynced entry from now on");
        assertFalse(first.syncMayFollow());
    }

    /** n1 elected, leaving its syncs to the test ({@link TestCluster#sync}). */
    private static TestCluster.Node deferringLeader(TestCluster c) {
        TestCluster.Node leader = c.elect("n1");
        leader.defersSyncs = true;
        return leader;
    }

    @Test
    void aFollowersReadyNeverLetsItsSyncFollow() {
        TestCluster c = new TestCluster(3);
        c.elect("n1");
        TestCluster.Node follower = c.node("n2");
        follower.defersSyncs = true;
        c.node("n1").raft.propose(bytes("a"));
        c.stabilize();
        assertTrue(follower.readies.stream().noneMatch(Ready::syncMayFollow), "an acknowledgement waits for the disk");
        assertEquals(List.of("a"), follower.stateMachine.applied);
    }

    @Test
    void aReadyWhoseWritesMustBeForcedCannotBeAdvancedUnsynced() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node n2 = c.node("n2");
        c.elect("n1");
        c.node("n1").raft.propose(bytes("a"));
        c.processAll();
        List<RaftMessage> queued = List.copyOf(c.network);
        c.network.clear();
        queued.stream().filter(m -> m.to().equals("n2")).forEach(n2.raft::step);
        Ready rd = n2.raft.ready();
        assertThrows(IllegalStateException.class, () -> n2.raft.advanceUnsynced(rd));
    }
}
