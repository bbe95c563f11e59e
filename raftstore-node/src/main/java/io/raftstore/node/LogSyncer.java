package io.raftstore.node;

import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.function.LongSupplier;

/**
 * The leader's own fsync, beside its event loop. A leader's Ready that {@link io.raftstore.core.Ready#syncMayFollow()}
 * is written unforced; the loop then asks here for a sync up to its last entry and goes on with the next inputs
 * (its followers' acknowledgements, new proposals) while the disk works. When the sync returns, the loop is told
 * ({@link io.raftstore.core.RaftNode#synced}) and counts the entries as its own copy. Requests made while a sync
 * runs are coalesced into the next one, which covers them all. On two cores the leader's loop spent 63% of its
 * time in fdatasync at 64 clients (docs/benchmarks.md, "The leader's fsync beside its loop").
 *
 * <h2>Lifecycle</h2>
 * {@link #startThread} for a node with a loop thread; a driven loop (the whole-node simulation) has none, and
 * runs the pending sync itself at the start of a later turn ({@link #runPending}, after a seeded delay, as a disk
 * takes its time): the loop meanwhile takes acknowledgements and commits without its own copy, and a crash
 * finds the entries written and not synced. {@link #close} after the loop stopped: it waits for a sync in
 * progress, so the storage may be closed after it.
 *
 * <h2>Threads</h2>
 * {@link #request} on the loop thread; the sync runs on this object's thread, and its outcome goes back to the
 * loop as a task: the report of what it covered, or the failure, which stops the node like a failed write.
 */
final class LogSyncer {

    /** What the loop learns when a sync returned. */
    interface Synced {
        void synced(long index, long term);
    }

    /** How long a sync took and how many entries it covered, told on the syncing thread (the fsync metrics). */
    interface Timed {
        void synced(long nanos, int entries);
    }

    private final Runnable sync;
    private final Executor loop;
    private final Synced synced;
    private final LongSupplier nanoTime;
    private final Timed timed;
    /** The last index a sync covered, to count the entries of the next one; syncing thread only. */
    private long lastSyncedIndex;
    private final Object lock = new Object();
    /** The sync asked for and not yet taken; null when none. */
    private Asked asked;
    private boolean closed;
    /** Driven mode: when the pending sync returns; {@link Long#MIN_VALUE} until a turn has seen it. */
    private long drivenDueAt = Long.MIN_VALUE;
    private Thread thread;

    /** {@code sync} makes every log write made before it durable; {@code loop} queues a task for the loop. */
    LogSyncer(Runnable sync, Executor loop, Synced synced, LongSupplier nanoTime, Timed timed) {
        this.sync = sync;
        this.loop = loop;
        this.synced = synced;
        this.nanoTime = nanoTime;
        this.timed = timed;
    }

    void startThread(ThreadFactory threads, String name) {
        thread = threads.newThread(this::syncUntilClosed);
        thread.setName(name);
        thread.start();
    }

    /** The last entry written when a sync was asked for: what its report covers. */
    private record Asked(long index, long term) {
    }

    /** Asks for a sync of everything written so far, the last entry being (index, term). Loop thread. */
    void request(long lastIndex, long lastTerm) {
        synchronized (lock) {
            asked = new Asked(lastIndex, lastTerm); // replaces an earlier request: this sync covers it too
            lock.notifyAll();
        }
    }

    /** Whether a sync was asked for and not yet taken: entries written since may not be durable. */
    boolean pending() {
        synchronized (lock) {
            return asked != null;
        }
    }

    /**
     * Driven mode, at the start of each turn: a sync asked for is due {@code delayNanos} after the first turn
     * that sees it (as a disk takes its time), and runs on the calling (loop) thread once {@code now} reaches that.
     */
    void runPending(long now, long delayNanos) {
        Asked due;
        synchronized (lock) {
            if (asked == null) {
                return;
            }
            if (drivenDueAt == Long.MIN_VALUE) {
                drivenDueAt = now + delayNanos;
            }
            if (now - drivenDueAt < 0) {
                return;
            }
            drivenDueAt = Long.MIN_VALUE;
            due = asked;
            asked = null;
        }
        syncAndReport(due);
    }

    private void syncUntilClosed() {
        Asked next = awaitRequest();
        while (next != null && syncAndReport(next)) {
            next = awaitRequest(); // the latest request: one sync covers every request made before it starts
        }
    }

    /** Waits for a request and takes it; null once this is closed (the loop has stopped: no one would hear). */
    private Asked awaitRequest() {
        synchronized (lock) {
            while (asked == null && !closed) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            Asked next = closed ? null : asked;
            asked = null;
            return next;
        }
    }

    /** Returns false when the sync failed (the loop was told, and will stop the node). */
    private boolean syncAndReport(Asked due) {
        try {
            long started = nanoTime.getAsLong();
            sync.run();
            long entries = due.index > lastSyncedIndex ? due.index - lastSyncedIndex : 0; // after a truncation: none
            lastSyncedIndex = due.index;
            timed.synced(nanoTime.getAsLong() - started, (int) Math.min(entries, Integer.MAX_VALUE));
        } catch (RuntimeException e) {
            loop.execute(() -> {
                throw e; // the log refuses further writes; the loop stops the node as for a failed write
            });
            return false;
        }
        loop.execute(() -> synced.synced(due.index, due.term));
        return true;
    }

    /** Stops the thread once a sync in progress returned. Call after the loop stopped; idempotent. */
    void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
