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
 * read and fixed without replaying a whole seed. The seeds that first showed them are named on each
 * test; both were fixed by installing snapshots before appending and saving the hard state last.
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
        // A real state machine image at the snapshot's index, so that installing it can be carried out.
        KvStateMachine source = new KvStateMachine();
        List<LogEntry> noops = new java.util.ArrayList<>();
        for (long i = 1; i <= SNAPSHOT.index(); i++) {
            noops.add(new LogEntry(SNAPSHOT.term(), i, EntryType.NOOP, 0, 0, null));
        }
        source.apply(noops);
        java.io.ByteArrayOutputStream image = new java.io.ByteArrayOutputStream();
        source.writeSnapshot(image);
        return new InstallSnapshot("n1", "n2", 2, SNAPSHOT, 0, image.toByteArray(), true);
    }

    /** Carries out the first {@code steps} durable steps of the documented persist order, as a crash would leave them. */
    private void persistPartly(Ready rd, int steps, KvStateMachine sm) {
        if (steps >= 1) {
            for (Ready.SnapshotChunk c : rd.snapshotChunks()) {
                try (var sink = snapshots.begin(c.meta())) {
                    sink.stream().write(c.data());
                    if (c.done()) {
                        sink.commit();
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        if (steps >= 2 && rd.snapshotToInstall() != null) {
            sm.restore(rd.snapshotToInstall(), snapshots.open(rd.snapshotToInstall()));
            log.reset(rd.snapshotToInstall().index(), rd.snapshotToInstall().term());
        }
        if (steps >= 3 && !rd.entries().isEmpty()) {
            log.append(rd.entries());
        }
        if (steps >= 4 && rd.hardState() != null) {
            hardState.save(rd.hardState());
        }
    }

    /**
     * Seeds 55, 182 (3 nodes), 735, 751 (7 nodes): a follower holding stale entries receives a snapshot.
     * The same Ready saves a hard state whose commit index is the snapshot's index, and installs the
     * snapshot. When the hard state was saved first, a crash right after it restarted the node with its
     * stale log and a commit index covering it, and the engine handed the stale entries out as committed.
     * The documented order now saves the hard state last; a crash after any step must be harmless.
     */
    @Test
    void aCrashAtAnyStepOfInstallingASnapshotNeverMakesAStaleLogLookCommitted() {
        for (int steps = 0; steps <= 4; steps++) {
            log.reset(0, 0);
            log.append(List.of(LogEntry.command(1, 1, new byte[] {1}), LogEntry.command(1, 2, new byte[] {2}),
                    LogEntry.command(1, 3, new byte[] {3}), LogEntry.command(1, 4, new byte[] {4}),
                    LogEntry.command(1, 5, new byte[] {5})));
            hardState.save(new HardState(1, "n2", 0));
            KvStateMachine sm = new KvStateMachine();
            RaftNode node = follower();
            node.step(wholeSnapshot());
            Ready rd = node.ready();
            assertEquals(SNAPSHOT, rd.snapshotToInstall());
            persistPartly(rd, steps, sm);
            // restart as a driver does: finish an interrupted install, then open the engine
            new io.raftstore.core.ReadyPersister(new RaftStorage(log, hardState, snapshots), sm).recover();
            RaftNode restarted = new RaftNode(RaftConfig.defaults("n2", MEMBERS).withTimeouts(1, 10, 60),
                    new RaftStorage(log.reopen(), hardState.reopen(), snapshots.reopen()), sm.appliedIndex(),
                    new SplittableRandom(2));
            List<LogEntry> applied = restarted.hasReady() ? restarted.ready().committedEntries() : List.of();
            int crashedAfter = steps;
            assertTrue(applied.stream().noneMatch(e -> e.index() <= 5 && e.term() != SNAPSHOT.term()),
                    "crash after step " + crashedAfter + ": the engine hands out stale " + applied + " as committed");
        }
    }

    /**
     * Seed 301 (5 nodes): a follower steps the last chunk of a snapshot and an AppendEntries that continues
     * after it before draining its Ready. The Ready carries entries after the snapshot AND the snapshot to
     * install; installed first, as now documented, the entries follow it and stay durable.
     */
    @Test
    void entriesAfterASnapshotToInstallArePersistedInTheDocumentedOrder() {
        RaftNode node = follower();
        node.step(wholeSnapshot());
        node.step(new AppendEntries("n1", "n2", 2, 5, 2,
                List.of(new LogEntry(2, 6, EntryType.NOOP, 0, 0, null)), 5, 0));
        Ready rd = node.ready();
        assertDoesNotThrow(() -> persistPartly(rd, 4, new KvStateMachine()));
        node.advance(rd);
        assertEquals(node.status().lastIndex(), log.lastIndex(), "the engine's log and the durable log differ");
        assertEquals(6, log.lastIndex());
    }
}
