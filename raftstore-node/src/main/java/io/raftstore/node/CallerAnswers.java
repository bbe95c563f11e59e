package io.raftstore.node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers to this node's own waiting writers (their writes applied), collected during a Ready and handed over
 * in one batch to a thread of their own, which completes the callers' futures and so wakes them. Waking a
 * parked thread costs the waker a system call of a few microseconds; done on the loop, at 64
 * callers that was half the leader loop's time, all of it before the loop could start the next Ready's fsync
 * (docs/benchmarks.md, "Answers off the loop"). Handed over, the loop waits on the disk while the other core
 * wakes the callers. One batch costs the loop one hand-off, and none while the answering thread is still busy.
 * A batch of one answer, with nothing handed over still unanswered, is answered on the loop: the hand-off would
 * cost the loop the same one wake-up and the caller a second one (one client's writes were 3% slower through the
 * thread).
 *
 * <p>Only answers that nothing on the loop depends on come here: writes this node's own callers made (a
 * forwarded write's answer is sent to its origin by the loop). Failures are still answered on the loop, and
 * so are reads: they have no fsync to overlap, and the extra hand-off made linearizable reads through JCA 17%
 * slower. An answer is always handed over after the state it reports on was applied, so a caller never sees a
 * result the state machine does not hold yet.
 *
 * <h2>Lifecycle</h2>
 * {@link #startThread} for a node with a loop thread; without it (a driven loop: the whole-node simulation),
 * {@link #flush} answers on the calling thread, so a simulation stays one deterministic thread. The loop flushes
 * when it stops; {@link #close} then lets the thread answer everything handed over and stop.
 *
 * <h2>Threads</h2>
 * {@link #add} and {@link #flush} on the loop thread only; the answering thread runs the batches in order.
 */
final class CallerAnswers {
    private static final Logger LOG = Logger.getLogger(CallerAnswers.class.getName());
    /** Queued after the last batch by {@link #close}: the answering thread stops when it reaches it. */
    private static final List<Runnable> END = List.of();

    private final LinkedBlockingQueue<List<Runnable>> handedOver = new LinkedBlockingQueue<>();
    /** Batches handed over and not yet all answered: while any are, answers keep their order behind them. */
    private final AtomicInteger unanswered = new AtomicInteger();
    private List<Runnable> batch = new ArrayList<>();
    private Thread thread;

    void startThread(ThreadFactory threads, String name) {
        thread = threads.newThread(this::answerUntilClosed);
        thread.setName(name);
        thread.start();
    }

    /** An answer to give once the Ready that made it has been carried out so far. Loop thread. */
    void add(Runnable answer) {
        batch.add(answer);
    }

    /** Hands over what {@link #add} collected (answers it here without a thread of its own). Loop thread. */
    void flush() {
        if (batch.isEmpty()) {
            return;
        }
        List<Runnable> answers = batch;
        batch = new ArrayList<>();
        if (thread == null || answers.size() == 1 && unanswered.get() == 0) {
            answerAll(answers);
        } else {
            unanswered.incrementAndGet();
            handedOver.add(answers);
        }
    }

    private void answerUntilClosed() {
        try {
            for (List<Runnable> answers = handedOver.take(); answers != END; answers = handedOver.take()) {
                answerAll(answers);
                unanswered.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answerAll(List<Runnable> answers) {
        for (Runnable answer : answers) {
            try {
                answer.run();
            } catch (RuntimeException e) {
                // A caller's own callback failed; the other callers still get their answers.
                LOG.log(Level.WARNING, "answering a caller failed: " + e, e);
            }
        }
    }

    /**
     * Stops the answering thread once it has answered everything handed over. Call after the loop stopped, which
     * flushes on its way out ({@link DriverLoop.Work#stopped}); idempotent.
     */
    void close() {
        Thread t = thread;
        if (t == null || !t.isAlive()) {
            return;
        }
        handedOver.add(END);
        if (t != Thread.currentThread()) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
