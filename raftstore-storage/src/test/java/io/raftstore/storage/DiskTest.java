package io.raftstore.storage;

import io.raftstore.storage.sim.CrashMode;
import io.raftstore.storage.sim.SimDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operations {@link Disk} composes of its others: {@link Disk#createDirectoriesDurably}, whose directories
 * last a crash that loses everything unsynced, and {@link Disk#deleteRecursively}.
 */
class DiskTest {
    private static final Path TOP = Path.of("/data");

    /** A disk holding {@code /data}, durably. */
    private static SimDisk disk() throws IOException {
        SimDisk disk = new SimDisk(1);
        disk.createDirectories(TOP);
        disk.syncDirectory(TOP.getParent());
        return disk;
    }

    @Test
    void everyLevelItCreatesLastsACrash() throws IOException {
        SimDisk disk = disk();
        Path deep = TOP.resolve("a").resolve("b").resolve("c");
        disk.createDirectoriesDurably(deep);
        disk.crash(CrashMode.LOSE_UNSYNCED);
        assertTrue(disk.isDirectory(deep));
    }

    @Test
    void aDirectoryThatExistsOnlyInThePageCacheIsMadeDurableToo() throws IOException {
        SimDisk disk = disk();
        Path dir = TOP.resolve("wal");
        disk.createDirectories(dir); // an earlier run that died before syncing /data
        disk.createDirectoriesDurably(dir);
        disk.crash(CrashMode.LOSE_UNSYNCED);
        assertTrue(disk.isDirectory(dir));
    }

    @Test
    void withoutItANewDirectoryIsLost() throws IOException {
        SimDisk disk = disk();
        Path dir = TOP.resolve("wal");
        disk.createDirectories(dir);
        disk.crash(CrashMode.LOSE_UNSYNCED);
        assertFalse(disk.exists(dir), "the simulated disk does lose it: the tests above are not vacuous");
    }

    @Test
    void aTreeDeletedRecursivelyStaysDeletedWhenItsNameIsUsedAgain() throws IOException {
        SimDisk disk = disk();
        Path tree = TOP.resolve("tree");
        disk.createDirectoriesDurably(tree.resolve("sub"));
        for (Path file : new Path[] {tree.resolve("f"), tree.resolve("sub").resolve("g"), tree.resolve(".hidden")}) {
            disk.open(file, true).force(true);
            disk.syncDirectory(file.getParent());
        }
        disk.deleteRecursively(tree);
        assertFalse(disk.exists(tree));
        disk.createDirectoriesDurably(tree); // the name used again: nothing of the old tree may come back into it
        disk.crash(CrashMode.LOSE_UNSYNCED);
        assertTrue(disk.list(tree, "*").isEmpty(), "found " + disk.list(tree, "*"));

        disk.deleteRecursively(TOP.resolve("missing")); // nothing to do
    }

    @Test
    void onTheRealDiskItCreatesTheDirectoriesAndSyncsTheirParentsWithoutError(@TempDir Path tmp) throws IOException {
        Path deep = tmp.resolve("x").resolve("y");
        Disk.REAL.createDirectoriesDurably(deep);
        Disk.REAL.createDirectoriesDurably(deep); // exists: syncs its parent again
        assertTrue(Files.isDirectory(deep));
    }
}
