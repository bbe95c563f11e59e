package io.raftstore.node;

import io.raftstore.core.FailureReason;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The mechanics of a node's event loop, apart from what it drives ({@link NodeDriver}): a queue of tasks, a
 * tick when one is due, then the driver's turn; a failure stops it; requests queued for a stopped loop are
 * answered instead of waiting for ever.
 *
 * <h2>Lifecycle</h2>
 * {@link #open} once, then either {@link #startThread} (production: a thread of its own) or nothing
 * ({@link #drive()} before opening: the caller runs {@link #runTurn()}, as the whole-node simulation does).
 * {@link #close} is idempotent and waits for the loop thread.
 *
 * <h2>Threads</h2>
 * {@link #execute}, {@link #submit}, {@link #close} and the observers may be called from any thread; the
 * {@link Work} runs only on the loop thread (or the driving thread), one call at a time.
 */
final class DriverLoop {
    private static final Logger LOG = Logger.getLogger(DriverLoop.class.getName());
    /** At most this many queued tasks run between two looks at the clock, so ticks stay on time. */
    private static final int MAX_TASKS_PER_TURN = 4096;

    /** What a turn does beyond running the queued tasks; on the loop thread. */
    interface Work {
        /** A tick is due. */
        void tick();

        /** The loop is late by more than a tick (GC, SIGSTOP): the missed ticks will not be delivered. */
        void stalled();

        /** After the turn's tasks and tick (when {@code ticked}): the Readies and what follows them. */
        void process(boolean ticked);

        /** The loop stopped, closed or failed ({@code fatal} non-null): fail what waits on the engine. */
        void stopped(Throwable fatal);
    }

    private final String nodeId;
    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private Work work;
    private NodeClock clock;
    private long tickNanos;
    private Thread loopThread;
    /** Run by the caller ({@link #runTurn()}) instead of a thread of its own; {@link #close} may read it elsewhere. */
    private volatile boolean driven;
    private volatile boolean running;
    private volatile long lastTickNanos;
    /** When the next tick is due ({@link NodeClock#nanoTime()}); only the loop touches it. */
    private long nextTick;
    private volatile Throwable fatal;

    DriverLoop(String nodeId) {
        this.nodeId = nodeId;
    }

    /** The caller will run every turn ({@link #runTurn()}); call before {@link #open}. */
    void drive() {
        driven = true;
    }

    /** Ready to run: queued tasks are accepted from now on, and the first tick is one tick away. */
    void open(NodeClock clock, long tickMillis, Work work) {
        this.clock = clock;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMillis);
        this.work = work;
        running = true;
        lastTickNanos = clock.nanoTime();
        nextTick = lastTickNanos + tickNanos;
    }

    void startThread(ThreadFactory threads, String name) {
        loopThread = threads.newThread(this::loop);
        loopThread.setName(name);
        loopThread.start();
    }

    private void loop() {
        try {
            while (running) {
                long wait = nextTick - clock.nanoTime();
                Runnable task = wait > 0 ? tasks.poll(wait, TimeUnit.NANOSECONDS) : tasks.poll();
                if (task != null) {
                    task.run();
                }
                turn();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            fail(e);
        } finally {
            stop();
        }
    }

    /**
     * One turn, run by the caller of a driven loop: the queued work, a tick if one is due, and the driver's
     * work. Returns false once the loop has stopped (closed, or failed: see {@link #fatal()}), as the loop
     * thread of a started driver would.
     */
    boolean runTurn() {
        if (!driven) {
            throw new IllegalStateException("this driver runs its own loop thread");
        }
        if (!running) {
            return false;
        }
        try {
            turn();
            return true;
        } catch (RuntimeException | Error e) {
            fail(e);
            stop();
            return false;
        }
    }

    /** Queued tasks (a bounded number, so ticks stay on time), a tick when due, then the driver's work. */
    private void turn() {
        reportStall(); // before the queued tasks: a lease read among them must not count on the lost time
        Runnable task = tasks.poll();
        for (int n = 0; task != null && n < MAX_TASKS_PER_TURN; n++) {
            task.run();
            task = tasks.poll();
        }
        if (task != null) {
            task.run();
        }
        long now = clock.nanoTime();
        boolean ticked = now - nextTick >= 0;
        if (ticked) {
            work.tick();
            lastTickNanos = now;
            // After a stall (GC, SIGSTOP) tick once and move on: a burst of catch-up ticks would only
            // start needless elections. The engine heard of the lost time before (reportStall).
            nextTick = stalledAt(now) ? now + tickNanos : nextTick + tickNanos;
        }
        work.process(ticked);
    }

    /** Storage or state machine failure: continuing could break Raft's promises, so this node stops. */
    private void fail(Throwable e) {
        fatal = e;
        LOG.log(Level.SEVERE, "node " + nodeId + " stopped: " + e, e);
    }

    private void stop() {
        running = false;
        work.stopped(fatal);
        failQueued();
    }

    /**
     * Tells the work ({@link Work#stalled}) when the loop is more than a tick late: the process was paused (GC,
     * SIGSTOP) and the ticks it missed will not be delivered. Called at the start of every turn, and by the driver
     * right before a decision that counts on the ticks being on time (a LEASE read). Loop thread.
     */
    void reportStall() {
        if (stalledAt(clock.nanoTime())) {
            work.stalled();
        }
    }

    /** More than a tick late at {@code now}: ticks were missed, not just delivered a little late. */
    private boolean stalledAt(long now) {
        return now - nextTick > tickNanos;
    }

    /** When the loop delivered its last tick, on its clock (no earlier than the tick was due). */
    long lastTickNanos() {
        return lastTickNanos;
    }

    /** When the loop next ticks, on its clock ({@link NodeClock#nanoTime()}). */
    long nextTickNanos() {
        return nextTick;
    }

    /** Queues {@code task} for the loop; dropped when the loop is not running. */
    void execute(Runnable task) {
        if (running) {
            tasks.add(task);
        }
    }

    /** Queues {@code action} for the loop; if the loop is stopped (or stops first), {@code failed} hears why. */
    void submit(Runnable action, Consumer<RequestFailedException> failed) {
        if (!running) {
            failed.accept(notRunning());
            return;
        }
        tasks.add(new Submission(action, failed));
        if (!running) {
            failQueued(); // the loop stopped meanwhile and may have drained the queue before this was added
        }
    }

    /** A request on its way to the router: if the loop stops first, it still gets its answer. */
    private record Submission(Runnable action, Consumer<RequestFailedException> failed) implements Runnable {
        @Override
        public void run() {
            action.run();
        }
    }

    /** Fails the requests still queued for a loop that stopped, which would otherwise wait for ever. */
    private void failQueued() {
        for (Runnable task; (task = tasks.poll()) != null; ) {
            if (task instanceof Submission s) {
                s.failed().accept(notRunning());
            }
        }
    }

    private RequestFailedException notRunning() {
        return new RequestFailedException(FailureReason.NOT_LEADER, null, "node " + nodeId
                + " is not running" + (fatal != null ? ": " + fatal : ""));
    }

    boolean running() {
        return running;
    }

    /** True while the loop runs and has ticked within the last second. */
    boolean alive() {
        return running && clock.nanoTime() - lastTickNanos < TimeUnit.SECONDS.toNanos(1);
    }

    /** The failure that stopped the loop, or null. */
    Throwable fatal() {
        return fatal;
    }

    /** Stops the loop; waiting requests fail. Idempotent; waits up to 5 s for the loop thread. */
    void close() {
        boolean wasRunning = running;
        running = false;
        if (driven && wasRunning) {
            stop(); // no loop thread to fail what waits
        }
        tasks.add(() -> { });
        Thread t = loopThread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
