package io.raftstore.storage.h2;

import io.raftstore.core.HardState;
import io.raftstore.core.LogEntry;
import io.raftstore.core.storage.StorageException;
import io.raftstore.kv.KvCodec;
import io.raftstore.kv.KvCommand;
import io.raftstore.node.storage.NodeStorage;
import io.raftstore.storage.LogStoreKind;
import io.raftstore.storage.wal.WalStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.raftstore.storage.h2.StorageFixtures.commands;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each storage transaction commits, and what a failing one leaves behind. */
class H2TransactionTest {
    @TempDir
    Path dir;

    @Test
    void theLogAndHardStateNoLongerCommitToTheH2Database() {
        try (NodeStorage s = NodeStorage.open(dir, H2StorageConfig.DEFAULT)) {
            long before = s.database().committedVersion();
            s.atomically(() -> {
                s.hardState().save(new HardState(1, "n1", 100));
                s.log().append(commands(1, 60, 1));
                s.log().append(commands(61, 100, 1));
            });
            s.log().append(commands(101, 356, 1));
            assertEquals(before, s.database().committedVersion(), "they go to the write-ahead log");
        }
    }

    @Test
    void applyingCommitsNothingUntilACheckpointAndTheLogDatabaseNeverCarriesIt() {
        try (NodeStorage s = NodeStorage.open(dir, H2StorageConfig.DEFAULT.withCheckpointMillis(3_600_000))) {
            s.atomically(() -> {
                s.log().append(commands(1, 20, 1));
                s.hardState().save(new HardState(1, "n1", 20));
            });
            long log = s.database().committedVersion();
            long state = s.stateDatabase().committedVersion();
            s.stateMachine().apply(commands(1, 10, 1));
            assertEquals(10, s.stateMachine().appliedIndex(), "the state machine sees its applies at once");
            assertEquals(state, s.stateDatabase().committedVersion(), "but commits nothing before a checkpoint");
            assertEquals(log, s.database().committedVersion(), "and never in the log's database");
        }
        try (NodeStorage s = NodeStorage.open(dir, H2StorageConfig.DEFAULT.withCheckpointMillis(0))) {
            assertEquals(10, s.stateMachine().appliedIndex(), "closing commits them");
            long state = s.stateDatabase().committedVersion();
            s.stateMachine().apply(commands(11, 12, 1));
            assertEquals(state + 1, s.stateDatabase().committedVersion(), "a due checkpoint commits at once");
        }
    }

    @Test
    void deferredAppliesNeverReachTheFileOnTheirOwnHoweverLarge() {
        // H2 by default commits by itself once ~19 MB are unsaved, which would store half an apply batch.
        try (NodeStorage s = NodeStorage.open(dir, H2StorageConfig.DEFAULT.withCheckpointMillis(3_600_000))) {
            long state = s.stateDatabase().committedVersion();
            byte[] value = new byte[1_000_000];
            List<LogEntry> big = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                big.add(LogEntry.command(1, i, KvCodec.encode(new KvCommand.Put("k" + i, value))));
            }
            s.stateMachine().apply(big);
            assertEquals(40, s.stateMachine().appliedIndex());
            assertEquals(state, s.stateDatabase().committedVersion(), "40 MB applied, nothing committed by H2 itself");
        }
    }

    @Test
    void aFailingTransactionLeavesNothingBehindAfterARestart() {
        try (NodeStorage s = NodeStorage.open(dir, H2StorageConfig.DEFAULT)) {
            s.log().append(commands(1, 5, 1));
            s.hardState().save(new HardState(1, "n1", 5));
            RuntimeException boom = new IllegalStateException("disk on fire");
            assertEquals(boom, assertThrows(IllegalStateException.class, () -> s.atomically(() -> {
                s.hardState().save(new HardState(2, "n2", 5));
                s.log().append(commands(4, 9, 2));
                throw boom;
            })));
            // Memory may be ahead of the file now: the storage refuses further writes until reopened.
            assertThrows(StorageException.class, () -> s.log().append(commands(6, 7, 1)));
        }
        try (NodeStorage s = NodeStorage.open(dir, H2StorageConfig.DEFAULT)) {
            assertEquals(new HardState(1, "n1", 5), s.hardState().load());
            assertEquals(5, s.log().lastIndex());
            assertEquals(1, s.log().term(4));
            assertEquals(0, s.stateMachine().appliedIndex());
            s.log().append(commands(6, 7, 1)); // usable again
        }
    }

    @Test
    void snapshotThresholdsCountEntriesAndLogBytes() {
        H2StorageConfig config = new H2StorageConfig(10, 16, 45_000, 100, 5_000, 10, 1_000,
                WalStorage.DEFAULT_SEGMENT_BYTES, LogStoreKind.WAL);
        assertFalse(config.snapshotDue(99, 4_999));
        assertTrue(config.snapshotDue(100, 0));
        assertTrue(config.snapshotDue(0, 5_000));
    }
}
