package io.raftstore.storage.h2;

import io.raftstore.core.EntryType;
import io.raftstore.core.HardState;
import io.raftstore.core.LogEntry;
import io.raftstore.core.Membership;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.storage.SnapshotSink;
import io.raftstore.node.storage.NodeStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.raftstore.storage.h2.StorageFixtures.commands;
import static io.raftstore.storage.h2.StorageFixtures.counter;
import static io.raftstore.storage.h2.StorageFixtures.counterAfter;
import static io.raftstore.storage.h2.StorageFixtures.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recovery cases every Raft store must pass, through the real H2 files and a real reopen. */
class NodeStorageRecoveryTest {
    /** The storage's settings; a subclass runs every case against the other log store. */
    protected H2StorageConfig config() {
        return H2StorageConfig.DEFAULT;
    }

    @TempDir
    Path dir;

    private NodeStorage open() {
        return NodeStorage.open(dir, config());
    }

    @Test
    void aFreshNodeIsEmpty() {
        try (NodeStorage s = open()) {
            assertEquals(HardState.EMPTY, s.hardState().load());
            assertEquals(1, s.log().firstIndex());
            assertEquals(0, s.log().lastIndex());
            assertTrue(s.snapshots().latest().isEmpty());
            assertEquals(0, s.stateMachine().appliedIndex());
            assertEquals(0, s.recover());
        }
        try (NodeStorage s = open()) { // and stays a valid empty node across a restart
            assertEquals(0, s.log().lastIndex());
        }
    }

    @Test
    void membershipIsRecoveredFromTheLogOrTheSnapshot() {
        try (NodeStorage s = open()) {
            assertEquals(Membership.EMPTY, s.recoveredMembership());
            s.log().append(List.of(new LogEntry(1, 1, EntryType.MEMBERSHIP,
                    0, 0, Membership.ofVoters("a").toBytes())));
            s.log().append(commands(2, 600, 1));
            s.log().append(List.of(new LogEntry(1, 601,
                    EntryType.MEMBERSHIP, 0, 0, Membership.ofVoters("a", "b").toBytes())));
            s.log().append(commands(602, 900, 1));
        }
        try (NodeStorage s = open()) {
            assertEquals(Membership.ofVoters("a", "b"), s.recoveredMembership());
            try (SnapshotSink sink = s.snapshots().begin(new SnapshotMeta(900, 1, Membership.ofVoters("z")))) {
                sink.commit();
            }
            s.log().reset(900, 1);
            assertEquals(Membership.ofVoters("z"), s.recoveredMembership());
        }
    }

    @Test
    void aCrashWhileTheNodeWasFirstCreatedStartsAfresh() throws Exception {
        try (NodeStorage s = open()) {
            assertEquals(0, s.log().lastIndex());
        }
        // As if the process died after creating the file but before H2 wrote anything into it.
        Files.write(dir.resolve(H2Database.FILE_NAME), new byte[0]);
        new VersionWatermark(dir).write(0);
        try (NodeStorage s = open()) {
            s.log().append(commands(1, 3, 1));
        }
        try (NodeStorage s = open()) {
            assertEquals(3, s.log().lastIndex());
        }
    }

    @Test
    void termAndVoteArePreservedAcrossRestart() {
        try (NodeStorage s = open()) {
            s.hardState().save(new HardState(3, "n2", 0));
        }
        try (NodeStorage s = open()) {
            assertEquals(new HardState(3, "n2", 0), s.hardState().load());
            s.hardState().save(new HardState(4, null, 0));
        }
        try (NodeStorage s = open()) {
            assertEquals(new HardState(4, null, 0), s.hardState().load());
        }
    }

    @Test
    void committedEntriesBeyondTheAppliedIndexAreReplayed() {
        try (NodeStorage s = open()) {
            s.log().append(commands(1, 10, 1));
            s.hardState().save(new HardState(1, "n1", 8));
            s.stateMachine().apply(commands(1, 3, 1));
        }
        try (NodeStorage s = open()) {
            assertEquals(3, s.stateMachine().appliedIndex());
            assertEquals(5, s.recover()); // 4..8: committed; 9 and 10 are not, so they wait
            assertEquals(8, s.stateMachine().appliedIndex());
            assertEquals(counterAfter(8), counter(s));
            assertEquals("v7", value(s, "k7"));
            assertEquals(10, s.log().lastIndex());
        }
    }

    @Test
    void aNodeRestartsWithItsState() {
        try (NodeStorage s = open()) {
            s.atomically(() -> {
                s.hardState().save(new HardState(2, "n1", 20));
                s.log().append(commands(1, 20, 2));
                s.stateMachine().apply(commands(1, 20, 2));
            });
        }
        try (NodeStorage s = open()) {
            assertEquals(new HardState(2, "n1", 20), s.hardState().load());
            assertEquals(commands(1, 20, 2), s.log().entries(1, 20, Long.MAX_VALUE));
            assertEquals(20, s.stateMachine().appliedIndex());
            assertEquals(2, s.stateMachine().appliedTerm());
            assertEquals(0, s.recover());
            assertEquals(counterAfter(20), counter(s));
        }
    }

    @Test
    void manyRestartsInARowWithIncrementalWrites() {
        long last = 0;
        for (int r = 1; r <= 25; r++) {
            int restart = r;
            try (NodeStorage s = open()) {
                assertEquals(last, s.log().lastIndex(), "restart " + restart);
                assertEquals(last, s.stateMachine().appliedIndex(), "restart " + restart);
                assertEquals(counterAfter(last), counter(s), "restart " + restart);
                assertEquals(restart - 1, s.hardState().load().term());
                long from = last + 1;
                long to = last + restart; // a growing batch each time
                s.atomically(() -> {
                    s.hardState().save(new HardState(restart, "n1", to));
                    s.log().append(commands(from, to, restart));
                });
                s.stateMachine().apply(s.log().entries(from, to, Long.MAX_VALUE));
                last = to;
            }
        }
        try (NodeStorage s = open()) {
            assertEquals(25, s.log().term(s.log().lastIndex()));
            assertEquals(1, s.log().term(1));
            assertEquals(counterAfter(last), counter(s));
        }
    }

    @Test
    void aSnapshotAndCompactedLogRecoverAFreshStateMachine(@TempDir Path elsewhere) throws Exception {
        SnapshotMeta meta;
        try (NodeStorage s = open()) {
            s.log().append(commands(1, 30, 1));
            s.hardState().save(new HardState(1, "n1", 30));
            s.stateMachine().apply(commands(1, 20, 1));
            try (var capture = s.stateMachine().capture(); SnapshotSink sink = s.snapshots().begin(
                    new SnapshotMeta(capture.index(), capture.term(), Membership.ofVoters("n1")))) {
                capture.writeTo(sink.stream());
                sink.commit();
                meta = sink.meta();
            }
            s.log().compact(meta.index());
            s.stateMachine().apply(commands(21, 25, 1));
        }
        try (NodeStorage s = open()) {
            assertEquals(21, s.log().firstIndex());
            assertEquals(5, s.recover()); // 26..30
            assertEquals(counterAfter(30), counter(s));
        }
        // A follower that stored the snapshot but crashed before installing it: the state is older than the
        // snapshot, so recovery installs it first, then replays the log after it.
        Path other = elsewhere.resolve("follower");
        try (NodeStorage leader = open(); NodeStorage f = NodeStorage.open(other, config())) {
            try (SnapshotSink sink = f.snapshots().begin(meta); var in = leader.snapshots().open(meta)) {
                in.transferTo(sink.stream());
                sink.commit();
            }
            f.log().reset(meta.index(), meta.term());
            f.log().append(leader.log().entries(21, 30, Long.MAX_VALUE));
            f.hardState().save(new HardState(1, null, 30));
        }
        try (NodeStorage f = NodeStorage.open(other, config())) {
            assertEquals(0, f.stateMachine().appliedIndex());
            assertEquals(10, f.recover());
            assertEquals(30, f.stateMachine().appliedIndex());
            assertEquals(counterAfter(30), counter(f));
            assertEquals("v29", value(f, "k29"));
            assertEquals("v1", value(f, "k1"));
        }
    }
}
