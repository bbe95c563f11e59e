package io.raftstore.storage.h2;

import io.raftstore.core.HardState;
import io.raftstore.core.Membership;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.storage.SnapshotSink;
import io.raftstore.core.storage.StorageException;
import io.raftstore.kv.KvStateMachine;
import io.raftstore.kv.StateDatabase;
import io.raftstore.node.storage.NodeStorage;
import io.raftstore.storage.sim.CrashMode;
import io.raftstore.storage.sim.SimDisk;
import org.h2.mvstore.DataUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.raftstore.storage.h2.StorageFixtures.commands;
import static io.raftstore.storage.h2.StorageFixtures.counter;
import static io.raftstore.storage.h2.StorageFixtures.counterAfter;
import static io.raftstore.storage.h2.StorageFixtures.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A damaged key-value state database is moved aside and rebuilt from the latest snapshot and the log when the
 * node opens, on a simulated disk: whatever the damage, the node then holds the state of its log.
 */
class StateDatabaseTest {
    private static final Path DIR = Path.of("/sim/node");
    private static final Path STATE = DIR.resolve(NodeStorage.STATE_DIRECTORY);
    private static final Path STATE_FILE = STATE.resolve(H2Database.FILE_NAME);
    private static final Path ASIDE = DIR.resolve(StateDatabase.DAMAGED_DIRECTORY);

    private final List<LogRecord> warnings = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel() == Level.WARNING) {
                warnings.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger(StateDatabase.class.getName()).addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger(StateDatabase.class.getName()).removeHandler(handler);
    }

    private static NodeStorage open(SimDisk disk) {
        return NodeStorage.open(disk, () -> 0, DIR, H2StorageConfig.DEFAULT);
    }

    /**
     * A node with entries 1..200, committed and applied, a snapshot at 100 with the log compacted up to it,
     * closed (the state checkpointed); returns where in the state file the last commit (the checkpoint at
     * close, with the applied index 200) was written: {@code [from, to)}.
     */
    private static long[] populate(SimDisk disk) {
        long sizeBefore;
        try (NodeStorage s = open(disk)) {
            s.atomically(() -> {
                s.log().append(commands(1, 200, 1));
                s.hardState().save(new HardState(1, "n1", 200));
            });
            s.stateMachine().apply(s.log().entries(1, 100, Long.MAX_VALUE));
            try (KvStateMachine.Capture c = s.stateMachine().capture();
                 SnapshotSink sink = s.snapshots().begin(new SnapshotMeta(c.index(), c.term(), Membership.ofVoters("n1")))) {
                c.writeTo(sink.stream());
                sink.commit();
            }
            s.log().compact(100);
            s.stateDatabase().write(() -> { }); // a commit of its own, so that the checkpoint below is the last one
            sizeBefore = size(disk);
            s.stateMachine().apply(s.log().entries(101, 200, Long.MAX_VALUE));
        }
        return new long[] {sizeBefore, size(disk)};
    }

    private static long size(SimDisk disk) {
        return disk.bytes(STATE_FILE).length;
    }

    /** Overwrites {@code [from, to)} of {@code file} with zeros, durably, as a crash may leave unsynced pages. */
    private static void zero(SimDisk disk, Path file, long from, long to) {
        try (FileChannel ch = disk.open(file, false)) {
            ch.write(ByteBuffer.allocate((int) (to - from)), from);
            ch.force(true);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void truncate(SimDisk disk, Path file, long size) {
        try (FileChannel ch = disk.open(file, false)) {
            ch.truncate(size);
            ch.force(true);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Opens (one WARNING: the state database was damaged), recovers, and checks the state is that of the whole log. */
    private void opensWithTheStateOfItsLog(SimDisk disk, String damage) {
        warnings.clear();
        try (NodeStorage s = open(disk)) {
            assertEquals(1, warnings.size(), damage + ": one warning");
            String warning = warnings.get(0).getMessage();
            assertTrue(warning.contains(STATE + "/") && warning.contains(" is damaged") && warning.contains("moving "
                    + STATE + " aside to " + ASIDE) && warning.contains("rebuilt from the latest snapshot and the log"),
                    damage + ": " + warning);
            assertEquals(0, s.stateMachine().appliedIndex(), damage + ": a new state database");
            s.recover();
            assertEquals(200, s.stateMachine().appliedIndex(), damage);
            assertEquals(counterAfter(200), counter(s), damage);
            assertEquals("v199", value(s, "k199"), damage + ": from the log");
            assertEquals("v99", value(s, "k99"), damage + ": from the snapshot");
        }
    }

    @Test
    void whateverTheDamageTheStateIsRebuiltFromTheSnapshotAndTheLog() {
        Map<String, BiConsumer<SimDisk, long[]>> damages = new LinkedHashMap<>();
        // As a power loss left NodeStorageCrashTest seed 763 ("File corrupted in chunk 5, expected page length
        // 4..256, got 0"): the last chunk's header and footer on disk, the pages between them not.
        damages.put("a torn last chunk", (disk, last) -> zero(disk, STATE_FILE, last[0] + 512, last[1] - 512));
        damages.put("every chunk gone", (disk, last) -> zero(disk, STATE_FILE, 8_192, last[1]));
        damages.put("a truncated file", (disk, last) -> truncate(disk, STATE_FILE, last[1] / 2));
        damages.put("an empty file", (disk, last) -> truncate(disk, STATE_FILE, 0));
        damages.put("a damaged watermark", (disk, last) -> zero(disk, STATE.resolve(VersionWatermark.FILE_NAME), 4, 12));
        damages.put("a missing watermark", (disk, last) -> {
            try {
                disk.delete(STATE.resolve(VersionWatermark.FILE_NAME));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        damages.forEach((damage, apply) -> {
            SimDisk disk = new SimDisk(1);
            long[] lastCommit = populate(disk);
            apply.accept(disk, lastCommit);
            byte[] damaged = disk.bytes(STATE_FILE);
            opensWithTheStateOfItsLog(disk, damage);
            assertArrayEquals(damaged, disk.bytes(ASIDE.resolve(H2Database.FILE_NAME)), damage + ": the copy kept aside");
        });
    }

    @Test
    void onlyTheLatestDamagedCopyIsKeptAndTheMoveOutlivesACrash() throws IOException {
        SimDisk disk = new SimDisk(2);
        long[] lastCommit = populate(disk);
        zero(disk, STATE_FILE, 8_192, lastCommit[1]);
        opensWithTheStateOfItsLog(disk, "the first damage");
        disk.crash(CrashMode.LOSE_UNSYNCED); // nothing of the new state database was checkpointed
        try (NodeStorage s = open(disk)) {
            s.recover();
            assertEquals(200, s.stateMachine().appliedIndex());
        }
        assertTrue(disk.exists(ASIDE.resolve(H2Database.FILE_NAME)), "the move aside lasted the crash");

        truncate(disk, STATE_FILE, 0);
        disk.open(ASIDE.resolve("left by an operator"), true).close();
        opensWithTheStateOfItsLog(disk, "the second damage");
        assertEquals(0, disk.bytes(ASIDE.resolve(H2Database.FILE_NAME)).length, "the second damaged file replaced the first");
        assertFalse(disk.exists(ASIDE.resolve("left by an operator")), "one copy: the directory replaced whole");
    }

    @Test
    void theNodesOwnDatabaseIsNotDerivedAndStillRefusesToStartWhenDamaged() {
        SimDisk disk = new SimDisk(3);
        populate(disk);
        Path db = DIR.resolve(H2Database.FILE_NAME);
        truncate(disk, db, disk.bytes(db).length / 2);
        StorageException e = assertThrows(StorageException.class, () -> open(disk));
        assertTrue(e.getMessage().contains(db + " is damaged") && e.getMessage().contains("backup"), e.getMessage());
        assertFalse(disk.exists(DIR.resolve(H2Database.FILE_NAME + ".damaged")));
    }

    @Test
    void whatH2ThrowsIsDamageUnlessItIsTheDisksFailureALockOrAClosedStore() {
        assertTrue(H2Database.damagedByH2(DataUtils.newMVStoreException(DataUtils.ERROR_FILE_CORRUPT, "torn")));
        assertTrue(H2Database.damagedByH2(DataUtils.newMVStoreException(DataUtils.ERROR_READING_FAILED,
                "read past the end", new EOFException())), "a truncated file");
        assertFalse(H2Database.damagedByH2(DataUtils.newMVStoreException(DataUtils.ERROR_READING_FAILED,
                "I/O error", new IOException("EIO"))));
        assertFalse(H2Database.damagedByH2(DataUtils.newMVStoreException(DataUtils.ERROR_WRITING_FAILED, "ENOSPC",
                new IOException("no space"))));
        assertFalse(H2Database.damagedByH2(DataUtils.newMVStoreException(DataUtils.ERROR_FILE_LOCKED, "locked")));
        assertFalse(H2Database.damagedByH2(DataUtils.newMVStoreException(DataUtils.ERROR_CLOSED, "closed")));

        AssertionError insideH2 = new AssertionError();
        insideH2.setStackTrace(new StackTraceElement[] {new StackTraceElement("org.h2.mvstore.Page", "read", null, 1)});
        assertTrue(H2Database.damagedByH2(insideH2), "an assertion inside H2 (seed 127)");
        RuntimeException ours = new IllegalStateException("a bug of ours");
        assertFalse(H2Database.damagedByH2(ours), "thrown outside H2: " + Arrays.toString(ours.getStackTrace()));
        assertFalse(H2Database.damagedByH2(new OutOfMemoryError()));
    }
}
