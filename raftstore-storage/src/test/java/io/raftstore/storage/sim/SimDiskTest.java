package io.raftstore.storage.sim;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulated disk does to unsynced data what a crash may do, and nothing to synced data. */
class SimDiskTest {

    private static final Path DIR = Path.of("/d");
    private static final Path FILE = DIR.resolve("f");

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static void write(FileChannel ch, long at, byte[] bytes) throws IOException {
        ch.write(ByteBuffer.wrap(bytes), at);
    }

    /**
     * A file of 4 synced pages of 1s (it, its directory and that directory's entry in the root synced), then
     * three unsynced writes of 2s, 3s and 4s over pages 1 to 3.
     */
    private static SimDisk threeUnsyncedWrites(long seed) throws IOException {
        SimDisk disk = new SimDisk(seed);
        disk.createDirectories(DIR);
        disk.syncDirectory(DIR.getParent());
        FileChannel ch = disk.open(FILE, true);
        write(ch, 0, filled(4 * SimFile.PAGE, 1));
        ch.force(true);
        disk.syncDirectory(DIR);
        for (int page = 1; page <= 3; page++) {
            write(ch, (long) page * SimFile.PAGE, filled(SimFile.PAGE, page + 1));
        }
        return disk;
    }

    private static byte[] page(byte[] file, int page) {
        return Arrays.copyOfRange(file, page * SimFile.PAGE, (page + 1) * SimFile.PAGE);
    }

    @Test
    void aCrashLosesWhatWasNotSynced() throws IOException {
        SimDisk disk = threeUnsyncedWrites(1);
        disk.crash(CrashMode.LOSE_UNSYNCED);
        assertArrayEquals(filled(4 * SimFile.PAGE, 1), disk.bytes(FILE));
    }

    @Test
    void aCrashCanTearTheLastWriteAndKeepTheOnesBefore() throws IOException {
        for (long seed = 1; seed <= 20; seed++) {
            SimDisk disk = threeUnsyncedWrites(seed);
            disk.crash(CrashMode.TEAR_LAST_WRITE);
            byte[] after = disk.bytes(FILE);
            assertArrayEquals(filled(SimFile.PAGE, 2), page(after, 1));
            assertArrayEquals(filled(SimFile.PAGE, 3), page(after, 2));
            byte[] last = page(after, 3);
            int kept = 0;
            while (kept < last.length && last[kept] == 4) {
                kept++;
            }
            assertTrue(kept < last.length, "the last write is torn");
            assertArrayEquals(filled(last.length - kept, 1), Arrays.copyOfRange(last, kept, last.length),
                    "behind the torn write's prefix, what it overwrote");
        }
    }

    @Test
    void aCrashCanWriteBackALaterPageAndLoseAnEarlierOne() throws IOException {
        boolean laterWithoutEarlier = false;
        for (long seed = 1; seed <= 50 && !laterWithoutEarlier; seed++) {
            SimDisk disk = threeUnsyncedWrites(seed);
            disk.crash(CrashMode.REORDER_PAGES);
            byte[] after = disk.bytes(FILE);
            for (int p = 1; p <= 3; p++) {
                byte[] page = page(after, p);
                assertTrue(Arrays.equals(page, filled(SimFile.PAGE, 1)) || Arrays.equals(page, filled(SimFile.PAGE, p + 1)),
                        "each page whole, old or new");
            }
            laterWithoutEarlier = page(after, 1)[0] == 1 && page(after, 3)[0] == 4;
        }
        assertTrue(laterWithoutEarlier, "some seed kept page 3's write and lost page 1's");
    }

    @Test
    void whatWasSyncedSurvivesEveryKindOfCrash() throws IOException {
        for (CrashMode mode : CrashMode.values()) {
            SimDisk disk = threeUnsyncedWrites(7);
            FileChannel ch = disk.open(FILE, false);
            ch.force(false);
            disk.crash(mode);
            assertEquals(2, page(disk.bytes(FILE), 1)[0], mode.name());
            assertEquals(4, page(disk.bytes(FILE), 3)[SimFile.PAGE - 1], mode.name());
        }
    }

    @Test
    void anUnsyncedGrowthOrTruncationMayBeLost() throws IOException {
        SimDisk disk = threeUnsyncedWrites(3);
        FileChannel ch = disk.open(FILE, false);
        ch.force(true);
        ch.truncate(SimFile.PAGE);
        write(ch, 8 * SimFile.PAGE, new byte[] {9});
        disk.crash(CrashMode.LOSE_UNSYNCED);
        assertEquals(4 * SimFile.PAGE, disk.bytes(FILE).length);
    }

    @Test
    void aFileCreatedOrDeletedWithoutSyncingItsDirectoryMayComeBackAsBefore() throws IOException {
        SimDisk disk = threeUnsyncedWrites(4);
        disk.open(DIR.resolve("new"), true).force(true);
        disk.delete(FILE);
        disk.crash(CrashMode.LOSE_UNSYNCED);
        assertEquals(List.of(FILE), disk.list(DIR, "*"));

        disk.open(DIR.resolve("new"), true);
        disk.delete(FILE);
        disk.syncDirectory(DIR);
        disk.crash(CrashMode.LOSE_UNSYNCED);
        assertEquals(List.of(DIR.resolve("new")), disk.list(DIR, "*"));
    }

    @Test
    void aFailedWriteWritesAtMostAPrefixAndAFailedFsyncMayDropWhatItDidNotWrite() throws IOException {
        SimDisk disk = threeUnsyncedWrites(5);
        FileChannel ch = disk.open(FILE, false);
        disk.failNext(SimDisk.Op.WRITE);
        assertThrows(IOException.class, () -> write(ch, 4 * SimFile.PAGE, filled(100, 5)));
        byte[] now = disk.bytes(FILE);
        assertTrue(now.length <= 4 * SimFile.PAGE + 100);
        for (int i = 4 * SimFile.PAGE; i < now.length; i++) {
            assertEquals(5, now[i]);
        }

        disk.failNext(SimDisk.Op.FORCE);
        assertThrows(IOException.class, () -> ch.force(false));
        ch.force(false); // succeeds, yet need not write what the failed one dropped
        disk.crash(CrashMode.ANY);
        byte[] after = disk.bytes(FILE);
        for (int p = 1; p <= 3; p++) {
            assertTrue(page(after, p)[0] == 1 || page(after, p)[0] == p + 1);
        }
    }

    @Test
    void channelsOpenedBeforeACrashAreDead() throws IOException {
        SimDisk disk = threeUnsyncedWrites(6);
        FileChannel ch = disk.open(FILE, false);
        disk.crash();
        assertThrows(ClosedChannelException.class, () -> write(ch, 0, new byte[1]));
        assertFalse(disk.list(DIR, "*").isEmpty());
    }

    @Test
    void anUnsyncedRenameIsKeptOrUndoneWholeAndASyncedOneLasts() throws IOException {
        Path target = DIR.resolve("target");
        boolean kept = false;
        boolean undone = false;
        for (long seed = 1; seed <= 40; seed++) {
            SimDisk disk = threeUnsyncedWrites(seed * 0x9E3779B97F4A7C15L); // Random's first draws of 1, 2, ... agree
            disk.open(FILE, false).force(true);
            disk.move(FILE, target);
            disk.crash(CrashMode.ANY);
            List<Path> names = disk.list(DIR, "*");
            assertTrue(names.equals(List.of(FILE)) || names.equals(List.of(target)), "under one name: " + names);
            kept |= names.contains(target);
            undone |= names.contains(FILE);
        }
        assertTrue(kept && undone, "some crash kept the rename and some undid it");

        SimDisk disk = threeUnsyncedWrites(8);
        disk.open(FILE, false).force(true);
        disk.move(FILE, target);
        disk.syncDirectory(DIR);
        disk.crash(CrashMode.LOSE_UNSYNCED);
        assertEquals(List.of(target), disk.list(DIR, "*"));
        assertEquals(4 * SimFile.PAGE, disk.size(target));
    }

    @Test
    void aRenamedDirectoryTakesItsFilesAlongAndLastsOnceItsParentIsSynced() throws IOException {
        SimDisk disk = threeUnsyncedWrites(9);
        disk.open(FILE, false).force(true);
        Path moved = Path.of("/e");
        disk.move(DIR, moved);
        assertFalse(disk.exists(FILE));
        assertTrue(disk.exists(moved.resolve("f")));
        disk.crash(CrashMode.LOSE_UNSYNCED);
        assertTrue(disk.exists(FILE), "undone: the file is back where it was");

        disk.move(DIR, moved);
        disk.syncDirectory(moved.getParent());
        disk.crash(CrashMode.LOSE_UNSYNCED);
        assertEquals(List.of(moved.resolve("f")), disk.list(moved, "*"));
    }

    /** A new directory {@code /d/new} holding a synced file {@code f}, the directory itself synced, not {@code /d}. */
    private static Path newDirectoryWithASyncedFile(SimDisk disk) throws IOException {
        Path dir = DIR.resolve("new");
        disk.createDirectories(dir);
        FileChannel ch = disk.open(dir.resolve("f"), true);
        write(ch, 0, filled(10, 7));
        ch.force(true);
        disk.syncDirectory(dir);
        return dir;
    }

    @Test
    void aNewDirectoryLastsOnlyOnceItsParentIsSyncedAndTakesWhatItHoldsAlongWhenItDoesNot() throws IOException {
        SimDisk disk = threeUnsyncedWrites(14);
        Path dir = newDirectoryWithASyncedFile(disk);
        disk.crash(CrashMode.LOSE_UNSYNCED);
        assertFalse(disk.exists(dir), "its entry in /d was never synced");
        assertFalse(disk.exists(dir.resolve("f")), "synced into a directory that is gone");
        assertTrue(disk.exists(FILE), "the rest of /d is untouched");

        dir = newDirectoryWithASyncedFile(disk);
        disk.syncDirectory(DIR);
        disk.crash(CrashMode.LOSE_UNSYNCED);
        assertArrayEquals(filled(10, 7), disk.bytes(dir.resolve("f")));
    }

    @Test
    void aDirectoryUnderANewUnsyncedOneGoesWithItEvenWhenItsOwnEntryWasSynced() throws IOException {
        SimDisk disk = threeUnsyncedWrites(15);
        Path deeper = DIR.resolve("a").resolve("b");
        disk.createDirectories(deeper);
        disk.syncDirectory(deeper.getParent()); // b is in a, but a is not in /d
        disk.crash(CrashMode.LOSE_UNSYNCED);
        assertFalse(disk.exists(deeper.getParent()));
        assertFalse(disk.exists(deeper));
        assertEquals(List.of(FILE), disk.list(DIR, "*"));
    }

    @Test
    void anUnsyncedDirectoryCreationIsKeptOrLostAsAFilesIs() throws IOException {
        SimDisk torn = threeUnsyncedWrites(16);
        Path dir = newDirectoryWithASyncedFile(torn);
        torn.crash(CrashMode.TEAR_LAST_WRITE);
        assertTrue(torn.exists(dir.resolve("f")), "a torn last write keeps every directory change, as for files");
        boolean kept = false;
        boolean lost = false;
        for (long seed = 1; seed <= 40; seed++) {
            SimDisk disk = threeUnsyncedWrites(seed * 0x9E3779B97F4A7C15L);
            newDirectoryWithASyncedFile(disk);
            disk.crash(seed % 2 == 0 ? CrashMode.ANY : CrashMode.REORDER_PAGES);
            boolean there = disk.exists(dir);
            assertEquals(there, disk.exists(dir.resolve("f")), "the file goes where its directory goes");
            kept |= there;
            lost |= !there;
        }
        assertTrue(kept && lost, "some crash kept the new directory and some lost it");
    }

    @Test
    void aDeletedDirectoryComesBackUntilItsParentIsSynced() throws IOException {
        SimDisk disk = threeUnsyncedWrites(17);
        Path dir = DIR.resolve("empty");
        disk.createDirectories(dir);
        disk.syncDirectory(DIR);
        disk.delete(dir);
        assertFalse(disk.exists(dir));
        disk.crash(CrashMode.LOSE_UNSYNCED);
        assertTrue(disk.isDirectory(dir), "the deletion was not synced");

        disk.delete(dir);
        disk.syncDirectory(DIR);
        disk.crash(CrashMode.LOSE_UNSYNCED);
        assertFalse(disk.exists(dir));
    }

    @Test
    void creatingADirectoryIsAChangeThatAPowerLossCanPrecede() throws IOException {
        SimDisk disk = threeUnsyncedWrites(18);
        disk.crashAfter(2);
        assertThrows(SimDisk.PowerLoss.class, () -> disk.createDirectories(DIR.resolve("a").resolve("b")));
        assertTrue(disk.poweredOff());
        disk.crash(CrashMode.TEAR_LAST_WRITE);
        assertTrue(disk.isDirectory(DIR.resolve("a")), "the first level was made (and kept, as a torn write keeps it)");
        assertFalse(disk.exists(DIR.resolve("a").resolve("b")), "the power went before the second");
    }

    @Test
    void aWipedDirectoryIsGoneForGood() throws IOException {
        SimDisk disk = threeUnsyncedWrites(10);
        disk.wipe(DIR);
        assertFalse(disk.exists(DIR));
        disk.crash(CrashMode.LOSE_UNSYNCED);
        assertFalse(disk.exists(FILE));
        assertFalse(disk.exists(DIR));
    }

    @Test
    void aLockKeepsOutASecondChannelUntilReleasedClosedOrCrashed() throws IOException {
        SimDisk disk = threeUnsyncedWrites(11);
        FileChannel first = disk.open(FILE, false);
        var lock = first.tryLock(0, Long.MAX_VALUE, false);
        assertTrue(lock.isValid());
        assertEquals(null, disk.open(FILE, false).tryLock(0, Long.MAX_VALUE, false));
        lock.release();
        var second = disk.open(FILE, false).tryLock(0, Long.MAX_VALUE, false);
        assertTrue(second.isValid());
        second.channel().close();
        assertTrue(disk.open(FILE, false).tryLock(0, Long.MAX_VALUE, false).isValid());
        disk.crash(CrashMode.LOSE_UNSYNCED);
        assertTrue(disk.open(FILE, false).tryLock(0, Long.MAX_VALUE, false).isValid(), "a crash releases locks");
    }

    @Test
    void afterAPowerLossNothingWorksUntilTheCrash() throws IOException {
        SimDisk disk = threeUnsyncedWrites(12);
        FileChannel ch = disk.open(FILE, false);
        disk.crashAfter(2);
        write(ch, 0, new byte[] {7}); // the first change still happens
        assertThrows(SimDisk.PowerLoss.class, () -> ch.force(true));
        assertTrue(disk.poweredOff());
        assertThrows(SimDisk.PowerLoss.class, () -> ch.read(ByteBuffer.allocate(1), 0));
        assertThrows(SimDisk.PowerLoss.class, () -> disk.list(DIR, "*"));
        disk.crash(CrashMode.LOSE_UNSYNCED);
        assertFalse(disk.poweredOff());
        assertEquals(1, disk.bytes(FILE)[0], "the unsynced write is lost");
    }

    @Test
    void aReadOnlyChannelCannotWrite() throws IOException {
        SimDisk disk = threeUnsyncedWrites(13);
        FileChannel ch = disk.openReadOnly(FILE);
        assertEquals(4 * SimFile.PAGE, ch.size());
        assertThrows(NonWritableChannelException.class, () -> write(ch, 0, new byte[1]));
        assertThrows(IOException.class, () -> disk.openReadOnly(DIR.resolve("missing")));
    }
}
