package io.raftstore.node;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The leader's sync beside its loop: coalesced, reported to the loop, failures stop the loop, due in driven mode. */
class LogSyncerTest {

    private final List<String> reported = new CopyOnWriteArrayList<>();
    private final List<Runnable> loopTasks = new CopyOnWriteArrayList<>();
    private final List<Integer> timed = new CopyOnWriteArrayList<>();

    @Test
    void requestsMadeWhileASyncRunsAreCoveredByOneMoreSyncAndReportedToTheLoop() throws Exception {
        CountDownLatch syncing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger syncs = new AtomicInteger();
        CountDownLatch twoReports = new CountDownLatch(2);
        LogSyncer syncer = new LogSyncer(() -> {
            if (syncs.incrementAndGet() == 1) {
                syncing.countDown();
                await(release);
            }
        }, task -> {
            loopTasks.add(task);
            twoReports.countDown();
        }, (index, term) -> reported.add(index + "@" + term), System::nanoTime,
                (nanos, entries) -> timed.add(entries));
        syncer.startThread(Thread::new, "sync-test");
        syncer.request(5, 1);
        assertTrue(syncing.await(10, TimeUnit.SECONDS));
        syncer.request(6, 1);
        syncer.request(7, 2);
        release.countDown();
        await(twoReports);
        syncer.close();
        loopTasks.forEach(Runnable::run);
        assertEquals(List.of("5@1", "7@2"), reported, "the second sync covers every request made during the first");
        assertEquals(2, syncs.get());
        assertEquals(List.of(5, 2), timed, "the fsync metrics count what each sync covered");
    }

    @Test
    void aFailedSyncReachesTheLoopAsAFailureAndNothingIsReported() {
        LogSyncer syncer = new LogSyncer(() -> {
            throw new IllegalStateException("fsync failed");
        }, loopTasks::add, (index, term) -> reported.add(index + "@" + term), System::nanoTime,
                (nanos, entries) -> timed.add(entries));
        syncer.request(3, 1);
        syncer.runPending(0, 0);
        assertEquals(1, loopTasks.size());
        assertThrows(IllegalStateException.class, () -> loopTasks.get(0).run(),
                "the loop stops the node, as for a failed write");
        assertTrue(reported.isEmpty());
    }

    @Test
    void drivenTheSyncReturnsOnlyOnceItsDelayHasPassed() {
        AtomicInteger syncs = new AtomicInteger();
        LogSyncer syncer = new LogSyncer(syncs::incrementAndGet, loopTasks::add,
                (index, term) -> reported.add(index + "@" + term), System::nanoTime,
                (nanos, entries) -> timed.add(entries));
        syncer.runPending(0, 10);
        assertEquals(0, syncs.get(), "nothing asked for");
        syncer.request(3, 1);
        syncer.runPending(100, 50);
        syncer.runPending(149, 0);
        assertEquals(0, syncs.get(), "due at 150: the loop goes on without its own copy meanwhile");
        syncer.runPending(150, 0);
        loopTasks.forEach(Runnable::run);
        assertEquals(1, syncs.get());
        assertEquals(List.of("3@1"), reported);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
