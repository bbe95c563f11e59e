package io.raftstore.core.scenario;

import io.raftstore.core.LogEntry;
import io.raftstore.core.Membership;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.message.AppendEntries;
import io.raftstore.core.message.InstallSnapshot;
import io.raftstore.core.message.InstallSnapshotResponse;
import io.raftstore.core.storage.SnapshotSink;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static io.raftstore.core.scenario.TestCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Log compaction and InstallSnapshot in chunks (Raft paper section 7, dissertation chapter 5). */
class SnapshotTest {

    /** A cluster whose leader has compacted away what n3 missed while it was down. */
    private static TestCluster compactedWhileN3WasDown(List<String> expected) {
        TestCluster c = new TestCluster(3, cfg -> cfg.withBatching(8, 1 << 20, 1 << 20, 64));
        TestCluster.Node leader = c.elect("n1");
        c.crash("n3");
        for (int i = 0; i < 40; i++) {
            leader.raft.propose(bytes("value-" + i));
            expected.add("value-" + i);
        }
        c.stabilize();
        c.tick(2);
        for (TestCluster.Node n : List.of(leader, c.node("n2"))) {
            n.persister.snapshotAndCompact(n.raft, 0);
        }
        assertTrue(leader.log.firstIndex() > 1);
        return c;
    }

    @Test
    void aFollowerBehindTheCompactedLogReceivesTheSnapshotInChunksAndCatchesUp() {
        List<String> expected = new ArrayList<>();
        TestCluster c = compactedWhileN3WasDown(expected);
        c.restart("n3");
        c.tick(3);
        TestCluster.Node n3 = c.node("n3");
        assertEquals(expected, n3.stateMachine.applied);
        long chunks = c.sent.stream().filter(m -> m instanceof InstallSnapshot).count();
        assertTrue(chunks > 5, "a snapshot larger than one 64-byte chunk travels in several: " + chunks);
        c.node("n1").raft.propose(bytes("after"));
        c.stabilize();
        c.tick(2);
        assertEquals("after", n3.stateMachine.applied.get(n3.stateMachine.applied.size() - 1));
    }

    @Test
    void aTransferInterruptedByACrashRestartsCleanly() {
        List<String> expected = new ArrayList<>();
        TestCluster c = compactedWhileN3WasDown(expected);
        c.restart("n3");
        // let three chunks through, then crash n3 mid-transfer
        int[] delivered = {0};
        c.drop = m -> m instanceof InstallSnapshot && ++delivered[0] > 3;
        c.tick(2);
        c.crash("n3");
        c.heal();
        assertTrue(c.node("n3").snapshots.latest().isEmpty(), "a partial snapshot never becomes the latest");
        c.restart("n3");
        c.tick(c.node("n1").config.electionTicks() + 5);
        assertEquals(expected, c.node("n3").stateMachine.applied);
    }

    @Test
    void aTransferInterruptedByALeaderChangeRestartsWithTheNewLeader() {
        List<String> expected = new ArrayList<>();
        TestCluster c = compactedWhileN3WasDown(expected);
        c.restart("n3");
        int[] delivered = {0};
        c.drop = m -> m instanceof InstallSnapshot && ++delivered[0] > 2;
        c.tick(1);
        c.heal();
        c.crash("n1");
        TestCluster.Node leader = c.awaitLeader();
        assertEquals("n2", leader.id);
        c.tick(5);
        assertEquals(expected, c.node("n3").stateMachine.applied);
        assertTrue(c.sent.stream().anyMatch(m -> m instanceof InstallSnapshotResponse r && r.from().equals("n3") && r.done()));
    }

    @Test
    void aSnapshotTheFollowerAlreadyCoversIsAcknowledgedWithoutReplacingItsLog() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        leader.raft.propose(bytes("a"));
        c.stabilize();
        c.tick(2);
        TestCluster.Node n2 = c.node("n2");
        var meta = leader.raft.snapshotMetaAt(leader.stateMachine.appliedIndex());
        n2.raft.step(new InstallSnapshot("n1", "n2", leader.term(), meta, 0, new byte[] {1, 2, 3}, true));
        c.process(n2);
        assertEquals(List.of("a"), n2.stateMachine.applied);
        assertEquals(1, n2.log.firstIndex(), "its log was kept");
    }

    @Test
    void clientSessionsSurviveASnapshotSoARetryIsStillAppliedOnce() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        c.crash("n3");
        leader.raft.propose(bytes("pay"), 42, 7);
        c.stabilize();
        c.tick(2);
        for (TestCluster.Node n : List.of(leader, c.node("n2"))) {
            n.persister.snapshotAndCompact(n.raft, 0);
        }
        c.restart("n3"); // n3 learns the session only from the snapshot
        c.tick(3);
        c.crash("n1");
        c.crash("n2");
        c.restart("n2");
        TestCluster.Node next = c.awaitLeader();
        next.raft.propose(bytes("pay"), 42, 7); // the client's retry after the leader change
        c.stabilize();
        c.tick(2);
        assertEquals(List.of("pay"), c.node("n3").stateMachine.applied);
        assertEquals(List.of("pay"), c.node("n2").stateMachine.applied);
    }

    @Test
    void entriesThatFollowASnapshotInTheSameTurnSurviveItsInstallation() {
        List<String> expected = new ArrayList<>();
        TestCluster c = compactedWhileN3WasDown(expected);
        c.restart("n3");
        TestCluster.Node n3 = c.node("n3");
        c.drop = m -> m instanceof InstallSnapshot s && s.done(); // hold back the last chunk
        c.tick(1);
        InstallSnapshot last = (InstallSnapshot) c.sent.stream()
                .filter(m -> m instanceof InstallSnapshot s && s.done()).reduce((a, b) -> b).orElseThrow();
        var meta = last.meta();
        n3.raft.step(last);
        n3.raft.step(new AppendEntries("n1", "n3", last.term(), meta.index(), meta.term(),
                List.of(LogEntry.command(last.term(), meta.index() + 1, bytes("next"))), meta.index(), 0));
        c.process(n3);
        assertEquals(meta.index() + 1, n3.log.lastIndex(), "the entry after the snapshot is durable");
        assertEquals(expected, n3.stateMachine.applied);
    }

    @Test
    void restartingFromALocalSnapshotKeepsTheLogEntriesThatFollowIt() {
        TestCluster c = new TestCluster(3);
        TestCluster.Node leader = c.elect("n1");
        leader.raft.propose(bytes("before"));
        c.stabilize();
        c.tick(2);
        TestCluster.Node n2 = c.node("n2");
        n2.persister.snapshotAndCompact(n2.raft, 0);
        leader.raft.propose(bytes("after"));
        c.stabilize();
        c.tick(2);
        long last = n2.log.lastIndex();
        c.crash("n2");
        c.restartWithEmptyStateMachine("n2"); // rebuilt from the snapshot, then from the log
        assertEquals(last, n2.log.lastIndex(), "acknowledged entries after the snapshot are kept");
        c.tick(2);
        assertEquals(List.of("before", "after"), n2.stateMachine.applied);
    }

    @Test
    void anInstallInterruptedAfterTheStateWasRestoredIsFinishedAtStartByResettingTheLog() throws Exception {
        TestCluster c = new TestCluster(3);
        TestCluster.Node n = c.node("n3");
        RecordingStateMachine source = new RecordingStateMachine();
        source.apply(List.of(LogEntry.command(2, 1, bytes("a")), LogEntry.command(2, 2, bytes("b")),
                LogEntry.command(2, 3, bytes("c"))));
        SnapshotMeta meta = new SnapshotMeta(3, 2, Membership.ofVoters("n1", "n2", "n3"));
        try (SnapshotSink sink = n.snapshots.begin(meta)) {
            source.writeSnapshot(sink.stream());
            sink.commit();
        }
        // A diverged suffix of an older term, then the crash came after the state was restored from the
        // snapshot but before the log was reset after it.
        n.log.append(List.of(LogEntry.command(1, 1, bytes("x")), LogEntry.command(1, 2, bytes("y")),
                LogEntry.command(1, 3, bytes("z")), LogEntry.command(1, 4, bytes("w"))));
        try (InputStream in = n.snapshots.open(meta)) {
            n.stateMachine.restore(meta, in);
        }
        c.crash("n3");
        c.restart("n3");
        assertEquals(4, n.log.firstIndex(), "the log restarts after the snapshot");
        assertEquals(3, n.log.lastIndex(), "the diverged entries are gone, not taken for committed ones");
        assertEquals(3, n.raft.status().commitIndex());
    }
}
