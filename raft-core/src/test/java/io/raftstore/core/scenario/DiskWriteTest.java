package io.raftstore.core.scenario;

import io.raftstore.core.HardState;
import io.raftstore.core.Ready;
import io.raftstore.core.message.AppendEntries;
import io.raftstore.core.message.AppendEntriesResponse;
import io.raftstore.core.message.RaftMessage;
import io.raftstore.core.message.RequestVote;
import io.raftstore.core.message.RequestVoteResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Predicate;

import static io.raftstore.core.scenario.TestCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a driver must force to disk, and what may go out before the disk write (Ready#mustSync,
 * Ready#messagesMayPrecedePersist): a promise (a vote, a new term, an acknowledged append) waits for the
 * disk; a leader's own append overlaps it (dissertation §10.2.1); a moved commit index needs no fsync; a
 * committed entry already durable here may be applied before the Ready's write (Ready#durableCommitted).
 */
class DiskWriteTest {

    private static Ready first(TestCluster.Node node, Predicate<Ready> which) {
        return node.readies.stream().filter(which).findFirst()
                .orElseThrow(() -> new AssertionError(node.id + " produced no such Ready: " + node.readies));
    }

    private static Predicate<Ready> sending(Predicate<RaftMessage> message) {
        return rd -> rd.messages().stream().anyMatch(message);
    }

    @Test
    void aVoteRequestAndAVoteWaitForTheDisk() {
        TestCluster c = new TestCluster(3);
        c.elect("n1");
        Ready campaign = first(c.node("n1"), sending(m -> m instanceof RequestVote rv && !rv.preVote()));
        assertTrue(campaign.mustSync(), "a new term and a vote for itself must be durable");
        assertFalse(campaign.messagesMayPrecedePersist(), "vote requests go out only after that");
        Ready grant = first(c.node("n2"), sending(m -> m instanceof RequestVoteResponse r && r.granted() && !r.preVote()));
        assertTrue(grant.mustSync());
        assertFalse(grant.messagesMayPrecedePersist(), "a vote is a promise");
    }

    @Test
    void aLeaderSendsItsAppendBeforeItsOwnFsyncButAFollowerAcknowledgesOnlyAfterIts() {
        TestCluster c = new TestCluster(3);
        c.elect("n1");
        c.nodes.values().forEach(n -> n.readies.clear());
        c.node("n1").raft.propose(bytes("x"));
        c.stabilize();
        Ready append = first(c.node("n1"), rd -> !rd.entries().isEmpty());
        assertTrue(append.mustSync(), "the leader's entries must still reach its disk");
        assertTrue(append.messagesMayPrecedePersist(), "but its AppendEntries need not wait for that");
        assertTrue(append.messages().stream().allMatch(m -> m instanceof AppendEntries));
        Ready ack = first(c.node("n2"), sending(m -> m instanceof AppendEntriesResponse r && r.success()));
        assertTrue(ack.mustSync());
        assertFalse(ack.messagesMayPrecedePersist(), "an acknowledgement promises the entries are durable");
    }

    @Test
    void aReadyThatOnlyMovesTheCommitIndexNeedNotBeSynced() {
        TestCluster c = new TestCluster(3);
        c.elect("n1");
        c.nodes.values().forEach(n -> n.readies.clear());
        c.node("n1").raft.propose(bytes("x"));
        c.stabilize();
        Ready commit = first(c.node("n1"), rd -> !rd.committedEntries().isEmpty());
        assertTrue(commit.entries().isEmpty() && commit.hardState() != null, "the commit moved: " + commit);
        assertFalse(commit.mustSync());
    }

    @Test
    void aWriteCommittedByTheFollowersIsAnsweredBeforeTheFsyncOfTheEntriesBehindIt() {
        TestCluster c = new TestCluster(3);
        c.elect("n1");
        c.node("n1").raft.propose(bytes("x"));
        c.processAll(); // n1 makes x durable and sends it
        c.deliverOne();
        c.deliverOne(); // both followers hold x and acknowledge it
        c.node("n1").raft.propose(bytes("y")); // y arrives before the acknowledgements
        c.nodes.values().forEach(n -> n.readies.clear());
        c.deliverOne();
        Ready rd = first(c.node("n1"), r -> !r.committedEntries().isEmpty());
        assertEquals(List.of("y"), rd.entries().stream().map(e -> new String(e.data())).toList(),
                "the Ready writes y: " + rd);
        assertEquals("x", new String(rd.committedEntries().get(0).data()));
        assertEquals(rd.committedEntries().size(), rd.durableCommitted(),
                "x was made durable by an earlier Ready: it need not wait for y's fsync");
    }

    @Test
    void aFollowerAppliesAnEntryItReceivedCommittedOnlyAfterItsOwnFsync() {
        TestCluster c = new TestCluster(3);
        c.elect("n1");
        c.isolate("n3");
        c.commit("n1", "a"); // committed by n1 and n2 while n3 hears nothing
        c.heal();
        c.nodes.values().forEach(n -> n.readies.clear());
        c.tick(1); // the next heartbeat finds n3 behind; the append that follows carries a and its commit
        Ready catchUp = first(c.node("n3"), r -> r.entries().stream().anyMatch(e -> new String(e.data()).equals("a")));
        assertTrue(catchUp.committedEntries().stream().anyMatch(e -> new String(e.data()).equals("a")),
                "a arrives committed: " + catchUp);
        long firstNew = catchUp.entries().get(0).index();
        assertEquals(catchUp.committedEntries().stream().filter(e -> e.index() < firstNew).count(),
                catchUp.durableCommitted(), "only what n3 held before may be applied ahead of its write");
        assertTrue(catchUp.durableCommitted() < catchUp.committedEntries().size());
    }

    @Test
    void aCommitIndexLostInACrashDoesNotMakeTheStateMachineApplyAgain() {
        TestCluster c = new TestCluster(3);
        c.elect("n1");
        c.commit("n1", "v0", "v1", "v2", "v3", "v4");
        TestCluster.Node n2 = c.node("n2");
        List<String> before = List.copyOf(n2.stateMachine.applied);
        assertEquals(5, before.stream().filter(v -> v.startsWith("v")).count());
        HardState saved = n2.hardState.load();
        c.crash("n2");
        // The unsynced commit index was lost; the state machine (durable on its own) kept its applies.
        n2.hardState.save(new HardState(saved.term(), saved.votedFor(), 1));
        c.restart("n2");
        assertEquals(n2.stateMachine.appliedIndex(), n2.raft.status().commitIndex(),
                "what the state machine applied is committed");
        c.tick(5);
        c.stabilize();
        assertEquals(before, n2.stateMachine.applied, "nothing applied twice");
    }
}
