package io.raftstore.core.sim;

import io.raftstore.core.EntryType;
import io.raftstore.core.HardState;
import io.raftstore.core.LogEntry;
import io.raftstore.core.Membership;
import io.raftstore.core.RaftConfig;
import io.raftstore.core.RaftNode;
import io.raftstore.core.Ready;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.message.AppendEntries;
import io.raftstore.core.message.InstallSnapshot;
import io.raftstore.core.storage.RaftStorage;
import io.raftstore.core.storage.memory.MemoryHardStateStore;
import io.raftstore.core.storage.memory.MemoryLogStore;
import io.raftstore.core.storage.memory.MemorySnapshotStore;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Engine problems the simulation found, each reduced to a few steps on one follower so that it can be
 * read and fixed without replaying a whole seed. They fail until the engine is fixed; the seeds that first
 * showed them are named on each test.
 */
class EngineFindingsTest {

    private static final Membership MEMBERS = Membership.ofVoters("n1", "n2", "n3");
    private static final SnapshotMeta SNAPSHOT = new SnapshotMeta(5, 2, MEMBERS);

    private final MemoryLogStore log = new MemoryLogStore();
    private final MemoryHardStateStore hardState = new MemoryHardStateStore();
    private final MemorySnapshotStore snapshots = new MemorySnapshotStore();

    private RaftNode follower() {
        RaftConfig config = RaftConfig.defaults("n2", MEMBERS).withTimeouts(1, 10, 60);
        return new RaftNode(config, new RaftStorage(log, hardState, snapshots), 0, new SplittableRandom(1));
    }

    private static InstallSnapshot wholeSnapshot() {
        return new InstallSnapshot("n1", "n2", 2, SNAPSHOT, 0, new byte[] {1, 2, 3}, true);
    }

    /**
     * Seeds 55, 182 (3 nodes), 735, 751 (7 nodes): a follower holding stale entries receives a snapshot.
     * The same Ready saves a hard state whose commit index is the snapshot's index, and installs the
     * snapshot. Ready's checklist saves the hard state first; a crash right after it (the stores are
     * separate) restarts the node with its stale log and a commit index that covers it, and the engine
     * hands the stale entries out as committed: the replicas diverge.
     */
    @Test
    void commitIndexOfAReceivedSnapshotMustNotMakeAStaleLogLookCommittedAfterACrash() {
        // n2 was a leader in term 1 and appended entries nobody else has; index 5 is committed as term 2.
        log.append(List.of(LogEntry.command(1, 1, new byte[] {1}), LogEntry.command(1, 2, new byte[] {2}),
                LogEntry.command(1, 3, new byte[] {3}), LogEntry.command(1, 4, new byte[] {4}),
                LogEntry.command(1, 5, new byte[] {5})));
        hardState.save(new HardState(1, "n2", 0));
        RaftNode node = follower();
        node.step(wholeSnapshot());
        Ready rd = node.ready();
        assertEquals(SNAPSHOT, rd.snapshotToInstall());
        // Step 1 of the checklist, then a crash: only the hard state is durable.
        if (rd.hardState() != null) {
            hardState.save(rd.hardState());
        }
        RaftNode restarted = new RaftNode(RaftConfig.defaults("n2", MEMBERS).withTimeouts(1, 10, 60),
                new RaftStorage(log.reopen(), hardState.reopen(), snapshots.reopen()), 0, new SplittableRandom(2));
        List<LogEntry> applied = restarted.hasReady() ? restarted.ready().committedEntries() : List.of();
        assertTrue(applied.stream().noneMatch(e -> e.index() == 5 && e.term() != SNAPSHOT.term()),
                "after the crash the engine hands out " + applied + " as committed, but index 5 is committed"
                        + " with term " + SNAPSHOT.term());
    }

    /**
     * Seed 301 (5 nodes, found before the client workload changed): a follower steps the last chunk of
     * a snapshot and an AppendEntries that continues after it before draining its Ready. The Ready then
     * carries entries after the snapshot AND the snapshot to install; in the documented order (entries,
     * then the snapshot, then the log reset) the entries go to a log that still ends before them, and
     * the reset would discard them anyway, while the engine counts them durable and acknowledges them.
     */
    @Test
    void entriesAfterASnapshotToInstallCanBePersistedInTheDocumentedOrder() {
        RaftNode node = follower();
        node.step(wholeSnapshot());
        node.step(new AppendEntries("n1", "n2", 2, 5, 2,
                List.of(new LogEntry(2, 6, EntryType.NOOP, 0, 0, null)), 5, 0));
        Ready rd = node.ready();
        // Carry the Ready out exactly as its javadoc orders.
        if (rd.hardState() != null) {
            hardState.save(rd.hardState());
        }
        assertDoesNotThrow(() -> log.append(rd.entries()), "the Ready carries entries " + rd.entries()
                + " together with snapshot " + rd.snapshotToInstall() + " to install; appended first, as"
                + " documented, they do not follow the log (" + log + ")");
        for (Ready.SnapshotChunk c : rd.snapshotChunks()) {
            try (var sink = snapshots.begin(c.meta())) {
                sink.stream().write(c.data());
                if (rd.snapshotToInstall() != null) {
                    sink.commit();
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        if (rd.snapshotToInstall() != null) {
            log.reset(rd.snapshotToInstall().index(), rd.snapshotToInstall().term());
        }
        node.advance(rd);
        // Whatever the engine now considers durable must be in the log.
        assertEquals(node.status().lastIndex(), log.lastIndex(), "the engine's log and the durable log differ");
    }
}
