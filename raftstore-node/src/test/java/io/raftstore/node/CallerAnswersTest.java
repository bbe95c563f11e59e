package io.raftstore.node;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Callers' answers: collected on the loop, given in order on a thread of their own, none lost at close. */
class CallerAnswersTest {

    private final List<String> answered = new CopyOnWriteArrayList<>();

    @Test
    void answersAreGivenInOrderOnTheAnsweringThreadNotTheLoop() throws Exception {
        CallerAnswers answers = new CallerAnswers();
        answers.startThread(Thread::new, "answers-test");
        CountDownLatch release = new CountDownLatch(1);
        answers.add(() -> await(release)); // the answering thread is busy: later batches queue behind it
        answers.add(() -> { });
        answers.flush();
        String loop = Thread.currentThread().getName();
        for (int batch = 0; batch < 3; batch++) {
            for (int i = 0; i < 3; i++) {
                String answer = batch + "." + i;
                answers.add(() -> answered.add(answer + " on " + Thread.currentThread().getName()));
            }
            answers.flush();
        }
        assertTrue(answered.isEmpty(), "nothing is answered on the loop (" + loop + "): " + answered);
        release.countDown();
        answers.close();
        assertEquals(List.of("0.0", "0.1", "0.2", "1.0", "1.1", "1.2", "2.0", "2.1", "2.2"),
                answered.stream().map(a -> a.substring(0, 3)).toList(), "every answer, in order, before close returned");
        assertTrue(answered.stream().allMatch(a -> a.endsWith(" on answers-test")), answered.toString());
    }

    @Test
    void aLoneAnswerIsGivenOnTheLoopUnlessEarlierOnesAreStillBeingGiven() throws Exception {
        CallerAnswers answers = new CallerAnswers();
        answers.startThread(Thread::new, "answers-test");
        String loop = Thread.currentThread().getName();
        answers.add(() -> answered.add("alone on " + Thread.currentThread().getName()));
        answers.flush();
        assertEquals(List.of("alone on " + loop), answered, "one answer: handing it over would only add a wake-up");

        CountDownLatch release = new CountDownLatch(1);
        answers.add(() -> await(release));
        answers.add(() -> answered.add("first"));
        answers.flush();
        answers.add(() -> answered.add("second"));
        answers.flush();
        assertEquals(1, answered.size(), "a lone answer waits behind a batch still being answered: " + answered);
        release.countDown();
        answers.close();
        assertEquals(List.of("alone on " + loop, "first", "second"), answered);
    }

    @Test
    void nothingIsAnsweredBeforeTheFlushAndWithoutAThreadTheFlushAnswers() {
        CallerAnswers answers = new CallerAnswers();
        answers.add(() -> answered.add("a"));
        assertTrue(answered.isEmpty(), "collected, not answered: the state it reports on may not be complete yet");
        answers.flush();
        assertEquals(List.of("a"), answered, "a driven loop (the simulation) answers on its own thread");
    }

    @Test
    void oneFailingAnswerDoesNotKeepTheOthersFromTheirs() throws Exception {
        CallerAnswers answers = new CallerAnswers();
        answers.startThread(Thread::new, "answers-test");
        answers.add(() -> {
            throw new IllegalStateException("a caller's callback failed");
        });
        answers.add(() -> answered.add("b"));
        answers.flush();
        answers.add(() -> answered.add("c"));
        answers.flush();
        answers.close();
        assertEquals(List.of("b", "c"), answered);
    }

    @Test
    void closeStopsTheThreadAndMayBeRepeated() throws Exception {
        CallerAnswers answers = new CallerAnswers();
        Thread[] started = new Thread[1];
        answers.startThread(r -> started[0] = new Thread(r), "answers-test");
        answers.close();
        answers.close();
        started[0].join(TimeUnit.SECONDS.toMillis(5));
        assertFalse(started[0].isAlive());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
