package io.raftstore.storage.h2;

import io.raftstore.core.HardState;
import io.raftstore.core.Membership;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.storage.SnapshotSink;
import io.raftstore.core.storage.StorageException;
import io.raftstore.kv.KvStateMachine;
import io.raftstore.node.storage.NodeStorage;
import io.raftstore.storage.sim.CrashMode;
import io.raftstore.storage.sim.SimDisk;
import org.h2.mvstore.type.StringDataType;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static io.raftstore.storage.h2.StorageFixtures.commands;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Single crashes of a node's storage on a simulated disk, each the case a seed of {@link NodeStorageCrashTest}
 * found, written out so that it reads as what went wrong.
 */
class NodeStorageSimDiskTest {
    private static final Path DIR = Path.of("/sim/node");

    private static NodeStorage open(SimDisk disk) {
        return NodeStorage.open(disk, () -> 0, DIR, H2StorageConfig.DEFAULT);
    }

    /** A snapshot of everything applied, as the driver takes one, and the log compacted up to it. */
    private static SnapshotMeta snapshot(NodeStorage s) {
        try (KvStateMachine.Capture capture = s.stateMachine().capture();
             SnapshotSink sink = s.snapshots().begin(new SnapshotMeta(capture.index(), capture.term(),
                     Membership.ofVoters("n1")))) {
            capture.writeTo(sink.stream());
            sink.commit();
            s.log().compact(capture.index());
            return sink.meta();
        }
    }

    /**
     * Seed 1: H2 created a new node's database file and nothing ever synced the data directory, so a power
     * loss after the node's first snapshot kept the snapshot (its own directory is synced) and lost the
     * database file, with the snapshot's record in it: the node refused to start ("database file missing while
     * the data directory holds other node data").
     */
    @Test
    void aNewNodesDatabaseFileOutlivesACrashAfterItsFirstSnapshot() throws Exception {
        SimDisk disk = new SimDisk(1);
        NodeStorage s = open(disk);
        s.atomically(() -> {
            s.log().append(commands(1, 3, 1));
            s.hardState().save(new HardState(1, "n1", 3));
        });
        s.stateMachine().apply(commands(1, 3, 1));
        SnapshotMeta meta = snapshot(s);

        disk.crash(CrashMode.LOSE_UNSYNCED);
        try (NodeStorage again = open(disk)) {
            assertEquals(Optional.of(meta), again.snapshots().latest());
            again.recover();
            assertEquals(3, again.stateMachine().appliedIndex());
        }
    }

    /**
     * Nothing synced the directory holding each directory the storage created (the data directory itself,
     * {@code wal/}, {@code state/}, {@code snapshots/}): on Linux a new directory's entry, and so everything in
     * it, survives a power loss only once its parent is synced. A power loss soon after a new node's first start
     * lost {@code wal/} with the synced entries in it (the node refused to start: "no segment files"), or the
     * whole new data directory (the node came back empty). Checked for a data directory the storage creates and
     * for one an operator made, and synced, beforehand.
     */
    @Test
    void aNewNodesDirectoriesOutliveACrashWithWhatItAcknowledged() throws Exception {
        for (boolean madeByOperator : new boolean[] {false, true}) {
            SimDisk disk = new SimDisk(2);
            if (madeByOperator) {
                disk.createDirectories(DIR);
                for (Path d = DIR; d.getParent() != null; d = d.getParent()) {
                    disk.syncDirectory(d.getParent());
                }
            }
            NodeStorage s = open(disk);
            s.atomically(() -> {
                s.log().append(commands(1, 3, 1));
                s.hardState().save(new HardState(1, "n1", 3));
            });
            s.stateMachine().apply(commands(1, 3, 1));
            SnapshotMeta meta = snapshot(s);
            s.atomically(() -> s.log().append(commands(4, 5, 1)));

            disk.crash(CrashMode.LOSE_UNSYNCED);
            try (NodeStorage again = open(disk)) {
                String which = madeByOperator ? "in a data directory made beforehand" : "in a new data directory";
                assertEquals(5, again.log().lastIndex(), which);
                assertEquals(new HardState(1, "n1", 3), again.hardState().load(), which);
                assertEquals(Optional.of(meta), again.snapshots().latest(), which);
            }
        }
    }

    /**
     * Seed 3: an fsync of the database failed while a snapshot's record was committed, and the rollback that
     * followed had H2 write a store header naming the unsynced chunk as the state of a clean shutdown. A crash
     * kept that header and only some sectors of the chunk; H2 trusts a clean header without looking further,
     * could not read the chunk, and the node refused to start ("damaged"). After a failed commit nothing more
     * may reach the file.
     */
    @Test
    void afterAFailedFsyncOfACommitNothingMoreIsWrittenToTheDatabaseFile() {
        SimDisk disk = new SimDisk(3);
        H2Database db = H2Database.open(disk, () -> 0, DIR, H2StorageConfig.DEFAULT, true, "");
        var map = db.map("m", StringDataType.INSTANCE, StringDataType.INSTANCE);
        db.write(() -> map.put("synced", "x"));
        disk.failNext(SimDisk.Op.FORCE);
        assertThrows(StorageException.class, () -> db.write(() -> map.put("unsynced", "y")));
        byte[] afterTheFailure = disk.bytes(db.file());
        assertThrows(RuntimeException.class, () -> db.write(() -> map.put("later", "z")));
        db.close();
        assertArrayEquals(afterTheFailure, disk.bytes(db.file()));

        disk.crash(CrashMode.LOSE_UNSYNCED);
        try (H2Database reopened = H2Database.open(disk, () -> 0, DIR, H2StorageConfig.DEFAULT, false, "")) {
            assertEquals("x", reopened.map("m", StringDataType.INSTANCE, StringDataType.INSTANCE).get("synced"));
        }
    }
}
