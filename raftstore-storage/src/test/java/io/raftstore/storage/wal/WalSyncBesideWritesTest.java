package io.raftstore.storage.wal;

import io.raftstore.core.LogEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WalStorage#sync} beside the writer, on the real disk: a sync whose segment was rolled and deleted between
 * its two halves leaves the log usable, and syncs on a thread of their own while the writer appends unforced,
 * rolls and compacts lose nothing. (What a sync makes durable is {@link WalCrashTest}'s, on a simulated disk.)
 */
class WalSyncBesideWritesTest {

    @Test
    void aSyncWhoseSegmentWasRolledAndDeletedMeanwhileLeavesTheLogUsable(@TempDir Path dir) {
        WalStorage wal = WalStorage.open(dir, 2_048, false);
        wal.write(() -> wal.log().append(List.of(LogEntry.command(1, 1, payload(1)))), false);
        WriteAheadLog.SyncMark mark = wal.writeAheadLog().markForSync();
        for (long i = 2; i <= 200; i++) {
            LogEntry e = LogEntry.command(1, i, payload(i));
            wal.write(() -> wal.log().append(List.of(e)), false);
        }
        wal.log().compact(150); // the marked segment was rolled (and forced) long ago, and is deleted now
        wal.writeAheadLog().completeSync(mark); // its force meets a closed file: the roll covered it
        wal.write(() -> wal.log().append(List.of(LogEntry.command(1, 201, payload(201)))), true);
        wal.close();
        WalStorage reopened = WalStorage.open(dir, 2_048, true);
        try {
            assertEquals(201, reopened.log().lastIndex());
        } finally {
            reopened.close();
        }
    }

    @Test
    void syncingBesideTheWriterNeverFailsAndLosesNothing(@TempDir Path dir) throws Exception {
        int entries = 3_000;
        WalStorage wal = WalStorage.open(dir, 2_048, false);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger syncs = new AtomicInteger();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread syncer = new Thread(() -> {
            try {
                while (!done.get() && syncs.get() < 1_000_000) {
                    wal.sync();
                    syncs.incrementAndGet();
                }
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "wal-syncer");
        syncer.start();
        for (long i = 1; i <= entries; i++) {
            LogEntry e = LogEntry.command(1, i, payload(i));
            wal.write(() -> wal.log().append(List.of(e)), false);
            if (i % 250 == 0) {
                wal.log().compact(i - 50); // deletes rolled segments a sync may still be forcing
            }
        }
        done.set(true);
        syncer.join(10_000);
        assertNull(failed.get(), () -> "a sync beside the writes failed: " + failed.get());
        assertTrue(syncs.get() > 10, "the syncer ran " + syncs.get() + " times");
        wal.sync();
        wal.close();

        WalStorage reopened = WalStorage.open(dir, 2_048, true);
        try {
            assertEquals(entries, reopened.log().lastIndex());
            List<LogEntry> tail = reopened.log().entries(entries - 40, entries, Long.MAX_VALUE);
            assertEquals(41, tail.size());
            for (LogEntry e : tail) {
                assertArrayEquals(payload(e.index()), e.data(), "entry " + e.index());
            }
        } finally {
            reopened.close();
        }
    }

    private static byte[] payload(long i) {
        byte[] b = new byte[40];
        for (int k = 0; k < b.length; k++) {
            b[k] = (byte) (i * 31 + k);
        }
        return b;
    }
}
