package io.raftstore.storage.wal;

import io.raftstore.core.HardState;
import io.raftstore.core.LogEntry;
import io.raftstore.core.storage.StorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The write-ahead log's file format: torn ends, damage, frames as the unit of atomicity, segments. */
class WriteAheadLogTest {
    @TempDir
    Path dir;

    private static List<LogEntry> entries(long from, long to, long term) {
        List<LogEntry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(LogEntry.command(term, i, ("value-" + i).getBytes()));
        }
        return out;
    }

    private WalStorage open(long segmentBytes) {
        return WalStorage.open(dir, segmentBytes, false);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(WalSegment.SUFFIX)).sorted().toList();
        }
    }

    /** One frame per entry, so that the last one can be torn alone. */
    private void appendOneByOne(WalStorage wal, long from, long to) {
        for (LogEntry e : entries(from, to, 1)) {
            wal.log().append(List.of(e));
        }
    }

    @Test
    void aTornLastFrameIsDroppedAndTheLogGoesOnFromBeforeIt() throws IOException {
        try (WalStorage wal = open(1 << 20)) {
            appendOneByOne(wal, 1, 5);
        }
        Path segment = segments().get(segments().size() - 1);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.setLength(writtenEnd(segment) - 3); // the crash cut the last write short
        }
        try (WalStorage wal = open(1 << 20)) {
            assertEquals(4, wal.log().lastIndex());
            wal.log().append(entries(5, 6, 2));
        }
        try (WalStorage wal = open(1 << 20)) {
            assertEquals(6, wal.log().lastIndex());
            assertEquals(2, wal.log().term(5));
        }
    }

    @Test
    void theZerosAllocatedAheadOfTheWritesAreNeitherDataNorDamage() throws IOException {
        try (WalStorage wal = open(1 << 20)) {
            appendOneByOne(wal, 1, 3);
        }
        Path segment = segments().get(0);
        assertTrue(Files.size(segment) > writtenEnd(segment), "allocated ahead of the writes");
        try (WalStorage wal = open(1 << 20)) {
            assertEquals(3, wal.log().lastIndex());
            appendOneByOne(wal, 4, 5); // written where the last frame ended, into the allocated zeros
        }
        try (WalStorage wal = open(1 << 20)) {
            assertEquals(5, wal.log().lastIndex());
            assertArrayEquals("value-5".getBytes(), wal.log().entries(5, 5, Long.MAX_VALUE).get(0).data());
        }
    }

    @Test
    void aRolledSegmentIsCutToWhatItHolds() throws IOException {
        try (WalStorage wal = open(256)) {
            appendOneByOne(wal, 1, 30);
            List<Path> all = segments();
            for (Path older : all.subList(0, all.size() - 1)) {
                assertEquals(writtenEnd(older), Files.size(older), older + " keeps no allocated space");
            }
        }
    }

    @Test
    void aFrameIsAtomicEntriesAndHardStateGoTogether() throws IOException {
        try (WalStorage wal = open(1 << 20)) {
            wal.write(() -> {
                wal.log().append(entries(1, 3, 1));
                wal.hardState().save(new HardState(1, "n1", 3));
            }, true);
            wal.write(() -> {
                wal.log().append(entries(4, 6, 2));
                wal.hardState().save(new HardState(2, "n2", 6));
            }, true);
        }
        Path segment = segments().get(0);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.setLength(writtenEnd(segment) - 1);
        }
        try (WalStorage wal = open(1 << 20)) {
            assertEquals(3, wal.log().lastIndex(), "the second frame's entries went with it");
            assertEquals(new HardState(1, "n1", 3), wal.hardState().load(), "... and so did its hard state");
        }
    }

    @Test
    void aDamagedFrameFollowedByAValidOneIsRefusedNotCut() throws IOException {
        try (WalStorage wal = open(1 << 20)) {
            appendOneByOne(wal, 1, 5);
        }
        Path segment = segments().get(0);
        flipByteAt(segment, 12); // inside the first frame's records
        StorageException e = assertThrows(StorageException.class, () -> open(1 << 20));
        assertTrue(e.getMessage().contains(segment.toString()) && e.getMessage().contains("damaged")
                && e.getMessage().contains("backup"), e.getMessage());
        assertTrue(Files.size(segment) > 12, "nothing was cut");
    }

    /** Frame starts in the newest segment, found by following the length fields from offset 0. */
    private static List<Integer> frameStarts(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        List<Integer> out = new ArrayList<>();
        int pos = 0;
        while (pos + WalFrames.HEADER <= bytes.length) {
            int length = ByteBuffer.wrap(bytes, pos, 4).getInt();
            if (length <= 0) {
                break;
            }
            out.add(pos);
            pos += WalFrames.HEADER + length;
        }
        return out;
    }

    /**
     * Issue 12, finding 7. Readies that only move the commit index are written without an fsync, and the page
     * cache writes dirty pages back in any order: a power loss can keep a later unsynced frame and tear an
     * earlier one. Nothing in either was acknowledged, so recovery cuts at the first bad unsynced frame.
     */
    @Test
    void aTornUnsyncedFrameFollowedByAnIntactUnsyncedOneIsCutNotRefused() throws IOException {
        try (WalStorage wal = open(1 << 20)) {
            wal.write(() -> {
                wal.log().append(entries(1, 3, 1));
                wal.hardState().save(new HardState(1, "n1", 1));
            }, true);
            wal.write(() -> wal.hardState().save(new HardState(1, "n1", 2)), true); // synced: must survive
            wal.write(() -> wal.hardState().save(new HardState(1, "n1", 3)), false); // not synced
            wal.write(() -> wal.hardState().save(new HardState(1, "n1", 3)), false); // not synced
        }
        Path segment = segments().get(0);
        List<Integer> frames = frameStarts(segment);
        assertEquals(4, frames.size(), "one frame per write");
        // The power loss: the third frame's page never reached the disk in full, the fourth's did.
        flipByteAt(segment, frames.get(2) + WalFrames.HEADER + 1);
        try (WalStorage wal = open(1 << 20)) {
            assertEquals(3, wal.log().lastIndex(), "the synced entries are all there");
            assertEquals(new HardState(1, "n1", 2), wal.hardState().load(), "cut at the first bad unsynced frame");
            wal.log().append(entries(4, 4, 1));
        }
        try (WalStorage wal = open(1 << 20)) {
            assertEquals(4, wal.log().lastIndex(), "the log goes on from the cut");
        }
    }

    /** The same damage in a frame that was synced (a later frame was written after its fsync) is refused. */
    @Test
    void aDamagedSyncedFrameFollowedByUnsyncedOnesIsStillRefused() throws IOException {
        try (WalStorage wal = open(1 << 20)) {
            wal.write(() -> {
                wal.log().append(entries(1, 3, 1));
                wal.hardState().save(new HardState(1, "n1", 1));
            }, true);
            wal.write(() -> wal.hardState().save(new HardState(1, "n1", 2)), true);
            wal.write(() -> wal.hardState().save(new HardState(1, "n1", 3)), false);
            wal.write(() -> wal.hardState().save(new HardState(1, "n1", 3)), false);
        }
        Path segment = segments().get(0);
        List<Integer> frames = frameStarts(segment);
        flipByteAt(segment, frames.get(1) + WalFrames.HEADER + 1); // the second frame was synced
        StorageException e = assertThrows(StorageException.class, () -> open(1 << 20));
        assertTrue(e.getMessage().contains(segment.toString()) && e.getMessage().contains("damaged")
                && e.getMessage().contains("offset " + frames.get(1)), e.getMessage());
    }

    @Test
    void aDamagedFrameInAnOlderSegmentIsRefused() throws IOException {
        try (WalStorage wal = open(64)) {
            appendOneByOne(wal, 1, 20);
        }
        assertTrue(segments().size() > 2);
        Path oldest = segments().get(0);
        flipByteAt(oldest, Files.size(oldest) - 1);
        StorageException e = assertThrows(StorageException.class, () -> open(64));
        assertTrue(e.getMessage().contains(oldest.toString()), e.getMessage());
    }

    @Test
    void compactionDeletesTheSegmentsItPassedAndKeepsTheLogReadable() throws IOException {
        try (WalStorage wal = open(256)) {
            appendOneByOne(wal, 1, 100);
            int before = segments().size();
            wal.log().compact(90);
            assertTrue(segments().size() < before / 2, before + " segments, then " + segments().size());
            wal.hardState().save(new HardState(3, "n3", 95));
        }
        try (WalStorage wal = open(256)) {
            assertEquals(91, wal.log().firstIndex());
            assertEquals(100, wal.log().lastIndex());
            assertEquals(1, wal.log().term(90));
            assertArrayEquals("value-91".getBytes(), wal.log().entries(91, 91, Long.MAX_VALUE).get(0).data());
            assertEquals(new HardState(3, "n3", 95), wal.hardState().load());
        }
    }

    @Test
    void aResetLeavesOnlyTheNewestSegment() throws IOException {
        try (WalStorage wal = open(256)) {
            appendOneByOne(wal, 1, 50);
            wal.hardState().save(new HardState(4, null, 40));
            wal.log().reset(1000, 7);
            assertEquals(1, segments().size());
        }
        try (WalStorage wal = open(256)) {
            assertEquals(1001, wal.log().firstIndex());
            assertEquals(1000, wal.log().lastIndex());
            assertEquals(7, wal.log().term(1000));
            assertEquals(new HardState(4, null, 40), wal.hardState().load(), "the new segment restates it");
        }
    }

    @Test
    void entriesNoLongerInMemoryAreReadBackFromTheFile() {
        try (WalStorage wal = open(1 << 20)) {
            wal.log().append(entries(1, 10_000, 1));
            assertArrayEquals("value-1".getBytes(), wal.log().entries(1, 1, Long.MAX_VALUE).get(0).data());
            assertEquals(10_000, wal.log().entries(1, 10_000, Long.MAX_VALUE).size());
        }
    }

    @Test
    void unforcedWritesReachTheFileWithTheNextForcedOne() {
        try (WalStorage wal = open(1 << 20)) {
            wal.write(() -> wal.log().append(entries(1, 2, 1)), false);
            wal.write(() -> wal.hardState().save(new HardState(1, "n1", 2)), true);
        }
        try (WalStorage wal = open(1 << 20)) {
            assertEquals(2, wal.log().lastIndex());
            assertEquals(2, wal.hardState().load().commitIndex());
        }
    }

    @Test
    void theHardStatesIncarnationIsKeptAndOneWithoutIsReadAsBefore() {
        try (WalStorage wal = open(1 << 20)) {
            wal.hardState().save(new HardState(2, "n1", 0));
        }
        try (WalStorage wal = open(1 << 20)) {
            assertEquals(new HardState(2, "n1", 0, 0, true), wal.hardState().load(), "written without one");
            wal.hardState().save(new HardState(2, "n1", 0, 77, false));
        }
        try (WalStorage wal = open(1 << 20)) {
            assertEquals(new HardState(2, "n1", 0, 77, false), wal.hardState().load());
            wal.hardState().save(new HardState(3, null, 5, 77, true));
        }
        try (WalStorage wal = open(1 << 20)) {
            assertEquals(new HardState(3, null, 5, 77, true), wal.hardState().load());
        }
    }

    @Test
    void aLogThatMustExistButHasNoSegmentsIsRefused() {
        StorageException e = assertThrows(StorageException.class, () -> WalStorage.open(dir, 1 << 20, true));
        assertTrue(e.getMessage().contains("no segment files"), e.getMessage());
    }

    @Test
    void aFailedWriteStopsTheLogUntilItIsReopened() {
        try (WalStorage wal = open(1 << 20)) {
            assertThrows(IllegalStateException.class, () -> wal.write(() -> {
                wal.hardState().save(new HardState(9, "n9", 0));
                throw new IllegalStateException("the caller failed half way");
            }, true));
            StorageException e = assertThrows(StorageException.class, () -> wal.log().append(entries(1, 1, 1)));
            assertTrue(e.getMessage().contains("restart the node"), e.getMessage());
        }
        try (WalStorage wal = open(1 << 20)) {
            assertEquals(HardState.EMPTY, wal.hardState().load(), "half a batch never reached the file");
        }
    }

    @Test
    void entriesAppendedInTheFrameOfAResetOutliveTheSegmentsTheResetDrops() {
        try (WalStorage wal = open(256)) {
            appendOneByOne(wal, 1, 30);
            wal.write(() -> { // one Ready: a snapshot installed, then the entries that follow it
                wal.log().reset(1000, 7);
                wal.log().append(entries(1001, 1003, 7));
                wal.hardState().save(new HardState(7, "n1", 1003));
            }, true);
        }
        try (WalStorage wal = open(256)) {
            assertEquals(1001, wal.log().firstIndex());
            assertEquals(1003, wal.log().lastIndex(), "the frame was forced: its entries are durable");
            assertArrayEquals("value-1002".getBytes(), wal.log().entries(1002, 1002, Long.MAX_VALUE).get(0).data());
            assertEquals(new HardState(7, "n1", 1003), wal.hardState().load());
        }
    }

    @Test
    void aSegmentLeftEmptyByACrashDuringItsRollIsNotWrittenOnWithoutItsHeader() throws IOException {
        try (WalStorage wal = open(256)) {
            wal.hardState().save(new HardState(5, "n5", 0));
            appendOneByOne(wal, 1, 30);
        }
        // The crash: a roll had created the next segment, but its header frame never reached the disk.
        List<Path> before = segments();
        long next = WalSegment.seqOf(before.get(before.size() - 1)) + 1;
        Files.createFile(dir.resolve(WalSegment.name(next)));
        try (WalStorage wal = open(1 << 20)) {
            appendOneByOne(wal, 31, 60);
            wal.log().compact(55); // passes every segment from before the crash
        }
        try (WalStorage wal = open(1 << 20)) {
            assertEquals(56, wal.log().firstIndex());
            assertEquals(60, wal.log().lastIndex());
            assertEquals(new HardState(5, "n5", 0), wal.hardState().load(), "term and vote must never be lost");
        }
    }

    @Test
    void aCompactionInsideAWriteDeletesNoSegmentBeforeTheWritesFrameIsOnDisk() {
        try (WalStorage wal = open(256)) {
            appendOneByOne(wal, 1, 100);
            assertThrows(IllegalStateException.class, () -> wal.write(() -> {
                wal.log().compact(90);
                throw new IllegalStateException("the crash: the frame holding the compaction never reaches the file");
            }, true));
        }
        try (WalStorage wal = open(256)) {
            assertEquals(1, wal.log().firstIndex(), "the compaction never happened");
            assertEquals(100, wal.log().lastIndex());
            assertArrayEquals("value-1".getBytes(), wal.log().entries(1, 1, Long.MAX_VALUE).get(0).data());
        }
    }

    @Test
    void aCompactionInsideAnUnforcedWriteStillDeletesSegmentsOnlyAfterItsFrameIsSynced() {
        try (WalStorage wal = open(256)) {
            appendOneByOne(wal, 1, 100);
            int before = WriteAheadLogTest.this.segmentCount();
            wal.write(() -> wal.log().compact(90), false);
            assertTrue(segmentCount() < before / 2, "the segments it passed still go");
        }
        try (WalStorage wal = open(256)) {
            assertEquals(91, wal.log().firstIndex());
            assertEquals(100, wal.log().lastIndex());
        }
    }

    private int segmentCount() {
        try {
            return segments().size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void entriesReplacedWithinOneFrameAreReadBackAsTheNewestOnesBeforeAndAfterTheFrameIsWritten() {
        List<LogEntry> second = new ArrayList<>();
        for (long i = 50; i <= 9000; i++) {
            second.add(LogEntry.command(2, i, ("second-" + i).getBytes()));
        }
        try (WalStorage wal = open(64 << 10)) {
            wal.write(() -> {
                wal.log().append(entries(1, 9000, 1));
                wal.log().append(second); // a conflicting suffix, replaced within the same frame
                // entry 1's cache slot now holds entry 8193: read from the frame not yet written
                assertArrayEquals("value-1".getBytes(), wal.log().entries(1, 1, Long.MAX_VALUE).get(0).data());
                assertArrayEquals("second-50".getBytes(), wal.log().entries(50, 50, Long.MAX_VALUE).get(0).data());
            }, true);
            assertEquals(List.of(entries(1, 49, 1), second.subList(0, 20)),
                    List.of(wal.log().entries(1, 49, Long.MAX_VALUE), wal.log().entries(50, 69, Long.MAX_VALUE)));
            wal.log().append(entries(9001, 9001, 2));
        }
        try (WalStorage wal = open(64 << 10)) {
            assertEquals(9001, wal.log().lastIndex());
            assertEquals(1, wal.log().term(49));
            assertEquals(2, wal.log().term(50));
            assertEquals(entries(1, 49, 1), wal.log().entries(1, 49, Long.MAX_VALUE));
            assertEquals(second, wal.log().entries(50, 9000, Long.MAX_VALUE));
        }
    }

    @Test
    void anErrorHalfWayThroughAWriteStopsTheLogToo() {
        try (WalStorage wal = open(1 << 20)) {
            assertThrows(StackOverflowError.class, () -> wal.write(() -> {
                wal.log().append(entries(1, 2, 1));
                throw new StackOverflowError("the caller failed half way");
            }, true));
            // Memory now claims entries 1..2, the file holds none: writing on would build on them.
            StorageException e = assertThrows(StorageException.class, () -> wal.log().append(entries(3, 3, 1)));
            assertTrue(e.getMessage().contains("restart the node"), e.getMessage());
        }
        try (WalStorage wal = open(1 << 20)) {
            assertEquals(0, wal.log().lastIndex(), "half a batch never reached the file");
        }
    }

    /** Where the written frames end: after the last byte that is not zero (the entries here end in a digit). */
    private static long writtenEnd(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        return end;
    }

    private static void flipByteAt(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x40);
        }
    }
}
