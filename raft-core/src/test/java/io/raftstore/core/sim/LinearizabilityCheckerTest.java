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
}
