package io.raftstore.core.sim;

import io.raftstore.core.sim.LinearizabilityChecker.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.raftstore.core.sim.KvCommand.Op.CAS;
import static io.raftstore.core.sim.KvCommand.Op.GET;
import static io.raftstore.core.sim.KvCommand.Op.PUT;
import static io.raftstore.core.sim.KvCommand.Op.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker must accept linearizable histories and reject the others: hand-made cases of both. */
class LinearizabilityCheckerTest {

    private final LinearizabilityChecker checker = new LinearizabilityChecker(1_000_000);

    private static Operation put(int client, String value, String previous, long from, long to) {
        return new Operation(client, "k", PUT, value, null, previous, true, from, to, from, to);
    }

    private static Operation get(int client, String seen, long from, long to) {
        return new Operation(client, "k", GET, null, null, seen, true, from, to, from, to);
    }

    private static Operation cas(int client, String expected, String value, boolean ok, long from, long to) {
        return new Operation(client, "k", CAS, value, expected, null, ok, from, to, from, to);
    }

    private static Operation unknownPut(int client, String value, long from) {
        return new Operation(client, "k", PUT, value, null, null, false, from, Operation.PENDING, from, -1);
    }

    private static Operation write(int client, String value, long from, long to) {
        return new Operation(client, "k", WRITE, value, null, null, true, from, to, from, to);
    }

    private static Operation unknownWrite(int client, String value, long from) {
        return new Operation(client, "k", WRITE, value, null, null, false, from, Operation.PENDING, from, -1);
    }

    private static Operation unknownCas(int client, String expected, String value, long from) {
        return new Operation(client, "k", CAS, value, expected, null, false, from, Operation.PENDING, from, -1);
    }

    @Test
    void blindWritesAndDeletesAreRegisterWrites() {
        assertEquals(Verdict.LINEARIZABLE, checker.check(List.of(
                write(1, "a", 1, 2), get(2, "a", 3, 4), write(1, null, 5, 6), get(2, null, 7, 8),
                cas(1, null, "b", true, 9, 10), get(2, "b", 11, 12))));
    }

    @Test
    void anAcknowledgedBlindWriteThatIsLostIsCaught() {
        // write(b) returned before the read began, but the read still sees a: b was lost.
        assertEquals(Verdict.NOT_LINEARIZABLE, checker.check(List.of(
                write(1, "a", 1, 2), write(2, "b", 3, 4), get(3, "a", 5, 6))));
    }

    @Test
    void aBlindWriteAppliedTwiceIsCaught() {
        // a, then b, then a again although a was written once and long before b.
        assertEquals(Verdict.NOT_LINEARIZABLE, checker.check(List.of(
                write(1, "a", 1, 2), write(2, "b", 3, 4), get(3, "b", 5, 6), get(3, "a", 7, 8))));
    }

    @Test
    void sequentialHistoryIsLinearizable() {
        assertEquals(Verdict.LINEARIZABLE, checker.check(List.of(
                put(1, "a", null, 1, 2), get(2, "a", 3, 4), cas(1, "a", "b", true, 5, 6),
                cas(2, "a", "c", false, 7, 8), get(1, "b", 9, 10))));
    }

    @Test
    void concurrentOperationsMayTakeEffectInEitherOrder() {
        // put(a) and put(b) overlap; the read after both sees a, so b went first and a saw b as previous.
        assertEquals(Verdict.LINEARIZABLE, checker.check(List.of(
                put(1, "a", "b", 1, 4), put(2, "b", null, 2, 3), get(3, "a", 5, 6))));
    }

    @Test
    void staleReadAfterAWriteReturnedIsNotLinearizable() {
        // The write of b finished before the read started, yet the read still sees a.
        assertEquals(Verdict.NOT_LINEARIZABLE, checker.check(List.of(
                put(1, "a", null, 1, 2), put(1, "b", "a", 3, 4), get(2, "a", 5, 6))));
    }

    @Test
    void readsGoingBackInTimeAreNotLinearizable() {
        // Both reads overlap the write, but the second (later) read sees the older value.
        assertEquals(Verdict.NOT_LINEARIZABLE, checker.check(List.of(
                put(1, "a", null, 1, 2), put(1, "b", "a", 3, 10), get(2, "b", 4, 5), get(3, "a", 6, 7))));
    }

    @Test
    void twoSuccessfulCompareAndSetsFromTheSameValueAreNotLinearizable() {
        assertEquals(Verdict.NOT_LINEARIZABLE, checker.check(List.of(
                put(1, "a", null, 1, 2), cas(2, "a", "b", true, 3, 6), cas(3, "a", "c", true, 4, 7))));
    }

    @Test
    void lostWriteIsNotLinearizable() {
        // A write acknowledged, then a later read sees the value from before it.
        assertEquals(Verdict.NOT_LINEARIZABLE, checker.check(List.of(
                put(1, "a", null, 1, 2), put(2, "b", "a", 3, 4), get(1, "a", 5, 6), get(2, "b", 7, 8))));
    }

    @Test
    void unknownOutcomeMayHaveTakenEffectOrNot() {
        // The unknown put of x is seen by one read...
        assertEquals(Verdict.LINEARIZABLE, checker.check(List.of(
                put(1, "a", null, 1, 2), unknownPut(2, "x", 3), get(1, "x", 5, 6))));
        // ...or never seen at all.
        assertEquals(Verdict.LINEARIZABLE, checker.check(List.of(
                put(1, "a", null, 1, 2), unknownPut(2, "x", 3), get(1, "a", 5, 6))));
        // But it cannot take effect before it was invoked.
        assertEquals(Verdict.NOT_LINEARIZABLE, checker.check(List.of(
                get(1, "x", 1, 2), unknownPut(2, "x", 3))));
    }

    @Test
    void previousValueOfAPutMustMatch() {
        assertEquals(Verdict.NOT_LINEARIZABLE, checker.check(List.of(
                put(1, "a", null, 1, 2), put(2, "b", null, 3, 4))));
    }

    @Test
    void emptyHistoryIsLinearizable() {
        assertEquals(Verdict.LINEARIZABLE, checker.check(List.of()));
    }

    @Test
    void largeConcurrentLinearizableHistoryIsDecidedQuickly() {
        // A real register driven by 5 clients with overlapping operations, the effect at a random point
        // inside each operation: linearizable by construction.
        Random random = new Random(3);
        List<Operation> ops = new ArrayList<>();
        String register = null;
        long[] busyUntil = new long[5];
        for (long t = 1; t < 4000; t++) {
            int c = random.nextInt(5);
            if (busyUntil[c] >= t) {
                continue;
            }
            long end = t + 1 + random.nextInt(8);
            busyUntil[c] = end;
            // Effects are applied in invocation order, each inside its own interval as the next one starts
            // no earlier: valid because every interval contains its invocation instant.
            String v = "v" + t;
            switch (random.nextInt(3)) {
                case 0 -> {
                    ops.add(new Operation(c, "k", PUT, v, null, register, true, 2 * t, 2 * end + 1, t, end));
                    register = v;
                }
                case 1 -> ops.add(new Operation(c, "k", GET, null, null, register, true, 2 * t, 2 * end + 1, t, end));
                default -> {
                    boolean ok = register != null && register.hashCode() % 2 == 0;
                    String expected = ok ? register : "nope";
                    ops.add(new Operation(c, "k", CAS, v, expected, null, ok, 2 * t, 2 * end + 1, t, end));
                    if (ok) {
                        register = v;
                    }
                }
            }
        }
        assertEquals(Verdict.LINEARIZABLE, checker.check(ops));
    }

    // ---- unknown writes: the search treats unobserved values as one state and interchangeable unknown
    // operations by count; these cases pin down that neither changes a verdict. ----

    @Test
    void anUnobservedUnknownWriteStillExplainsAFailedCompareAndSet() {
        // Nobody reads x, but the CAS from a failed: only x having been written explains it.
        assertEquals(Verdict.LINEARIZABLE, checker.check(List.of(
                put(1, "a", null, 1, 2), unknownPut(2, "x", 3), cas(1, "a", "b", false, 5, 6))));
        // Not when the CAS finished before x was invoked.
        assertEquals(Verdict.NOT_LINEARIZABLE, checker.check(List.of(
                put(1, "a", null, 1, 2), cas(1, "a", "b", false, 3, 4), unknownPut(2, "x", 5))));
    }

    @Test
    void aReadOfAValueNobodyWroteIsCaughtWhateverItIsCalled() {
        // The value read is spelled like the token the search uses for unobserved values.
        assertEquals(Verdict.NOT_LINEARIZABLE, checker.check(List.of(
                put(1, "a", null, 1, 2), unknownPut(2, "x", 3), get(1, LinearizabilityChecker.UNOBSERVED, 5, 6))));
        assertEquals(Verdict.NOT_LINEARIZABLE, checker.check(List.of(
                unknownPut(2, "x", 1), get(1, LinearizabilityChecker.UNOBSERVED, 3, 4),
                get(1, LinearizabilityChecker.UNOBSERVED + "'", 5, 6))));
    }

    @Test
    void interchangeableUnknownWritesAreEachUsedAtMostOnce() {
        // Two deletes of unknown outcome, alike in every way; the key is deleted, written, deleted again.
        List<Operation> twoDeletes = List.of(put(1, "a", null, 1, 2), unknownWrite(2, null, 3), unknownWrite(3, null, 4),
                get(1, null, 5, 6), put(1, "b", null, 7, 8), get(1, null, 9, 10));
        assertEquals(Verdict.LINEARIZABLE, checker.check(twoDeletes));
        // One delete cannot take effect twice.
        assertEquals(Verdict.NOT_LINEARIZABLE, checker.check(List.of(put(1, "a", null, 1, 2),
                unknownWrite(2, null, 3), get(1, null, 5, 6), put(1, "b", null, 7, 8), get(1, null, 9, 10))));
        // Nor before it was invoked: the second delete starts after the read that needs it.
        assertEquals(Verdict.NOT_LINEARIZABLE, checker.check(List.of(put(1, "a", null, 1, 2),
                unknownWrite(2, null, 3), get(1, null, 5, 6), put(1, "b", null, 7, 8), get(1, null, 9, 10),
                unknownWrite(3, null, 11))));
    }

    /**
     * Unknown writes of x (read later) and of y (never read) are not alike. The search first spends x on
     * the failed CAS and fails; if it then took "y spent, state b" for "x spent, state b", already explored,
     * it would miss: y fails the CAS, b is written, x is written, x is read.
     */
    @Test
    void unknownWritesOfDifferentValuesAreNotInterchangeable() {
        assertEquals(Verdict.LINEARIZABLE, checker.check(List.of(cas(1, null, "z", false, 1, 10),
                unknownPut(2, "x", 2), unknownPut(3, "y", 3), write(1, "b", 11, 12), get(1, "x", 13, 14))));
    }

    /**
     * Unknown compare-and-sets that write the same value from different expected values are not alike: here
     * null to a must come first (the put saw a) and b to a later (the last CAS saw a again).
     */
    @Test
    void unknownCompareAndSetsAreAlikeOnlyWithTheSameExpectedValue() {
        assertEquals(Verdict.LINEARIZABLE, checker.check(List.of(put(1, "b", "a", 1, 7), unknownCas(2, "b", "a", 2),
                write(3, "b", 3, 8), unknownCas(4, null, "a", 5), cas(1, "a", "b", true, 9, 10))));
        // Two unknown CASes from a: one to x, one to y. A read sees y, a later one x: x would need a CAS
        // from y, which there is not.
        assertEquals(Verdict.NOT_LINEARIZABLE, checker.check(List.of(put(1, "a", null, 1, 2),
                unknownCas(2, "a", "x", 3), unknownCas(3, "a", "y", 4), get(1, "y", 5, 6), get(1, "x", 7, 8))));
    }

    /** A long history with unknown puts invoked near its start, as the simulation's single-key runs have. */
    private static List<Operation> manyUnknownWrites(int unknown, int rounds) {
        List<Operation> ops = new ArrayList<>();
        for (int u = 0; u < unknown; u++) {
            ops.add(unknownPut(9, "lost" + u, 1 + u)); // nobody ever reads these values
        }
        String previous = null;
        long t = 100;
        for (int i = 0; i < rounds; i++) {
            // Two clients: a put overlapping a read that sees the value before it.
            String v = "v" + i;
            ops.add(put(1, v, previous, t, t + 3));
            ops.add(get(2, previous, t + 1, t + 2));
            previous = v;
            t += 4;
        }
        return ops;
    }

    /**
     * Before unobserved values were one state and alike unknown writes were counted, the search tried them
     * in every order and subset at every point: with 10 of them it gave up after 50,000,000 steps; now the
     * cost grows with their number squared (387,520 steps for these 20; about a million when one of them is
     * read, below). Both must fit the simulation's budget.
     */
    @Test
    void manyUnobservedUnknownWritesNoLongerBlowUpTheSearch() {
        LinearizabilityChecker small = new LinearizabilityChecker(Simulation.SEARCH_BUDGET);
        LinearizabilityChecker.Outcome outcome = small.search(manyUnknownWrites(20, 500));
        assertEquals(Verdict.LINEARIZABLE, outcome.verdict(), outcome.toString());
    }

    @Test
    void aNonLinearizableHistoryWithManyUnknownWritesIsStillRejected() {
        LinearizabilityChecker small = new LinearizabilityChecker(Simulation.SEARCH_BUDGET);
        // The same history, then a read that sees v3 long after v499 was acknowledged: a stale read.
        List<Operation> stale = new ArrayList<>(manyUnknownWrites(20, 500));
        stale.add(get(3, "v3", 10_000, 10_001));
        LinearizabilityChecker.Outcome outcome = small.search(stale);
        assertEquals(Verdict.NOT_LINEARIZABLE, outcome.verdict(), outcome.toString());
        // A put that saw lost17 as the previous value, after v499 was acknowledged: lost17 took effect after
        // v499 then (it could nowhere else), so a read of v499 after that put is stale.
        List<Operation> lostAfter = new ArrayList<>(manyUnknownWrites(20, 500));
        lostAfter.add(put(3, "w", "lost17", 10_000, 10_001));
        lostAfter.add(get(3, "v499", 10_002, 10_003));
        outcome = small.search(lostAfter);
        assertEquals(Verdict.NOT_LINEARIZABLE, outcome.verdict(), outcome.toString());
        // Without that read, lost17 taking effect after v499 explains the put.
        List<Operation> fine = new ArrayList<>(manyUnknownWrites(20, 500));
        fine.add(put(3, "w", "lost17", 10_000, 10_001));
        outcome = small.search(fine);
        assertEquals(Verdict.LINEARIZABLE, outcome.verdict(), outcome.toString());
    }

    /**
     * Random small histories of puts, reads, compare-and-sets and blind writes over three values, a third of
     * unknown outcome, with outputs that are right or wrong at random: the checker's verdict must equal that
     * of a plain search of every order on the real register (no memo, no abstraction), both ways.
     */
    @Test
    void agreesWithAPlainSearchOnRandomSmallHistories() {
        Random random = new Random(11);
        String[] values = {null, "a", "b", "c"};
        int linearizable = 0;
        for (int h = 0; h < 20_000; h++) {
            List<Operation> ops = new ArrayList<>();
            int n = 2 + random.nextInt(6);
            for (int i = 0; i < n; i++) {
                long from = 1 + random.nextInt(20);
                long to = from + 1 + random.nextInt(8);
                boolean unknown = random.nextInt(3) == 0;
                String v = values[1 + random.nextInt(3)];
                String seen = values[random.nextInt(4)];
                Operation op = switch (random.nextInt(4)) {
                    case 0 -> unknown ? unknownPut(i, v, 2 * from) : put(i, v, seen, 2 * from, 2 * to + 1);
                    case 1 -> get(i, seen, 2 * from, 2 * to + 1);
                    case 2 -> unknown ? unknownCas(i, seen, v, 2 * from)
                            : cas(i, seen, v, random.nextBoolean(), 2 * from, 2 * to + 1);
                    default -> unknown ? unknownWrite(i, random.nextBoolean() ? null : v, 2 * from)
                            : write(i, random.nextBoolean() ? null : v, 2 * from, 2 * to + 1);
                };
                ops.add(op);
            }
            // Stamps must be unique: shift each invocation and return by the operation's index.
            List<Operation> stamped = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                Operation o = ops.get(i);
                stamped.add(new Operation(o.client(), o.key(), o.kind(), o.value(), o.expected(), o.output(), o.ok(),
                        o.invokedAt() * 16 + i, o.complete() ? o.returnedAt() * 16 + i : Operation.PENDING,
                        o.invokeTick(), o.returnTick()));
            }
            boolean expected = plainSearch(stamped, new boolean[stamped.size()], null);
            Verdict verdict = checker.check(stamped);
            assertEquals(expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE, verdict,
                    HistoryFormat.format(stamped));
            linearizable += expected ? 1 : 0;
        }
        // Both verdicts are common, so both directions were exercised.
        assertTrue(linearizable > 2_000 && linearizable < 18_000, "linearizable: " + linearizable);
    }

    /**
     * Whether the operations not yet {@code done} can be ordered after a register holding {@code state}: any
     * operation may go next unless some complete one still to go returned before it was invoked; an unknown
     * operation may also never take effect.
     */
    private static boolean plainSearch(List<Operation> ops, boolean[] done, String state) {
        boolean allCompleteDone = true;
        long firstReturn = Long.MAX_VALUE;
        for (int i = 0; i < ops.size(); i++) {
            if (!done[i] && ops.get(i).complete()) {
                allCompleteDone = false;
                firstReturn = Math.min(firstReturn, ops.get(i).returnedAt());
            }
        }
        if (allCompleteDone) {
            return true;
        }
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            if (done[i] || op.invokedAt() > firstReturn || (!op.complete() && op.kind() == GET)) {
                continue;
            }
            if (LinearizabilityChecker.legal(state, op)) {
                String after = LinearizabilityChecker.next(state, op);
                done[i] = true;
                boolean found = plainSearch(ops, done, after);
                done[i] = false;
                if (found) {
                    return true;
                }
            }
        }
        return false;
    }
}
