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
import io.raftstore.core.storage.SnapshotSink;
import io.raftstore.core.storage.memory.MemoryHardStateStore;
import io.raftstore.core.storage.memory.MemoryLogStore;
import io.raftstore.core.storage.memory.MemorySnapshotStore;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Engine problems the simulation found, each reduced to a few steps on one follower, kept as regression
 * tests. The seeds that first showed them are named on each test. The driver steps follow the Ready
 * checklist as documented (snapshot chunks, snapshot installation, entries, hard state) with a crash
 * allowed between any two of them.
 */
class EngineFindingsTest {

    private static final Membership MEMBERS = Membership.ofVoters("n1", "n2", "n3");
    private static final SnapshotMeta SNAPSHOT = new SnapshotMeta(5, 2, MEMBERS);
    private static final RaftConfig CONFIG = RaftConfig.defaults("n2", MEMBERS).withTimeouts(1, 10, 60);

    /** Persisting stops after this many of the four writes, as if the process died there. */
    private enum Stop { AFTER_CHUNKS, AFTER_INSTALL, AFTER_ENTRIES, NEVER }

    private MemoryLogStore log = new MemoryLogStore();
    private MemoryHardStateStore hardState = new MemoryHardStateStore();
    private MemorySnapshotStore snapshots = new MemorySnapshotStore();
    private KvStateMachine stateMachine = new KvStateMachine();

    private RaftNode open() {
        return new RaftNode(CONFIG, new RaftStorage(log, hardState, snapshots), stateMachine.appliedIndex(),
                new SplittableRandom(1));
    }

    private static InstallSnapshot wholeSnapshot(byte[] data) {
        return new InstallSnapshot("n1", "n2", 2, SNAPSHOT, 0, data, true);
    }

    private static byte[] snapshotOfEmptyStateAt5() {
        // A real state machine snapshot, so that restoring it works.
        KvStateMachine sm = new KvStateMachine();
        sm.apply(List.of(new LogEntry(2, 1, EntryType.NOOP, 0, 0, null), new LogEntry(2, 2, EntryType.NOOP, 0, 0, null),
                new LogEntry(2, 3, EntryType.NOOP, 0, 0, null), new LogEntry(2, 4, EntryType.NOOP, 0, 0, null),
                new LogEntry(2, 5, EntryType.NOOP, 0, 0, null)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sm.writeSnapshot(out);
        return out.toByteArray();
    }

    /** Carries out step 1 of the checklist in its documented order, stopping early at {@code stop}. */
    private void persist(Ready rd, Stop stop) {
        for (Ready.SnapshotChunk c : rd.snapshotChunks()) {
            try (SnapshotSink sink = snapshots.begin(c.meta())) {
                sink.stream().write(c.data());
                sink.commit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (stop == Stop.AFTER_CHUNKS) {
            return;
        }
        if (rd.snapshotToInstall() != null) {
            stateMachine.restore(rd.snapshotToInstall(), snapshots.open(rd.snapshotToInstall()));
            log.reset(rd.snapshotToInstall().index(), rd.snapshotToInstall().term());
        }
        if (stop == Stop.AFTER_INSTALL) {
            return;
        }
        assertDoesNotThrow(() -> log.append(rd.entries()), "the Ready's entries " + rd.entries()
                + " do not follow the log " + log + " after the documented steps before them");
        if (stop == Stop.AFTER_ENTRIES) {
            return;
        }
        if (rd.hardState() != null) {
            hardState.save(rd.hardState());
        }
    }

    /** A restart: the stores keep what was written, the state machine is rebuilt from the latest snapshot. */
    private RaftNode crashAndRestart() {
        log = log.reopen();
        hardState = hardState.reopen();
        snapshots = snapshots.reopen();
        stateMachine = new KvStateMachine();
        snapshots.latest().ifPresent(meta -> {
            stateMachine.restore(meta, snapshots.open(meta));
            if (meta.index() > log.lastIndex() || log.term(meta.index()) != meta.term()) {
                log.reset(meta.index(), meta.term());
            }
        });
        return open();
    }

    /**
     * Seeds 55, 182 (3 nodes), 735, 751 (7 nodes), with the checklist that saved the hard state first: a
     * follower holding stale entries receives a snapshot; a crash after the hard state (its commit index is
     * the snapshot's) but before the installation restarted the node with its stale log under a commit
     * index that covered it, and the engine handed the stale entries out as committed. Whatever step the
     * crash interrupts now, no stale entry may be handed out.
     */
    @Test
    void aCrashWhileInstallingAReceivedSnapshotNeverMakesAStaleLogLookCommitted() {
        for (Stop stop : Stop.values()) {
            log = new MemoryLogStore();
            hardState = new MemoryHardStateStore();
            snapshots = new MemorySnapshotStore();
            stateMachine = new KvStateMachine();
            // n2 led term 1 alone and appended entries nobody else has; index 5 is committed with term 2.
            log.append(List.of(LogEntry.command(1, 1, new byte[] {1}), LogEntry.command(1, 2, new byte[] {2}),
                    LogEntry.command(1, 3, new byte[] {3}), LogEntry.command(1, 4, new byte[] {4}),
                    LogEntry.command(1, 5, new byte[] {5})));
            hardState.save(new HardState(1, "n2", 0));
            RaftNode node = open();
            node.step(wholeSnapshot(snapshotOfEmptyStateAt5()));
            Ready rd = node.ready();
            assertEquals(SNAPSHOT, rd.snapshotToInstall());
            persist(rd, stop);
            RaftNode restarted = crashAndRestart();
            List<LogEntry> handedOut = restarted.hasReady() ? restarted.ready().committedEntries() : List.of();
            assertTrue(handedOut.stream().noneMatch(e -> e.term() == 1),
                    "crash " + stop + ": the restarted engine hands out stale entries " + handedOut + " as committed");
        }
    }

    /**
     * Seed 301 (5 nodes, before the Ready checklist changed): a follower steps the last chunk of a snapshot
     * and an AppendEntries that continues after it before draining its Ready, which then carries entries
     * after the snapshot AND the snapshot to install. Persisted in the documented order, the engine's log
     * and the durable log must agree.
     */
    @Test
    void entriesThatFollowASnapshotInTheSameReadyArePersistedWithIt() {
        RaftNode node = open();
        node.step(wholeSnapshot(snapshotOfEmptyStateAt5()));
        node.step(new AppendEntries("n1", "n2", 2, 5, 2,
                List.of(new LogEntry(2, 6, EntryType.NOOP, 0, 0, null)), 5, 0));
        Ready rd = node.ready();
        persist(rd, Stop.NEVER);
        node.advance(rd);
        assertEquals(node.status().lastIndex(), log.lastIndex(), "the engine's log and the durable log differ");
        assertEquals(6, log.lastIndex());
    }
}
