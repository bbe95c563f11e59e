package io.raftstore.core.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether the operations on ONE key are linearizable against a register with put (returns the
 * previous value), blind write (also delete: a write of null), get and compare-and-set. Keys are independent, so a history is checked key by key.
 *
 * <p>The search is Wing and Gong's, with Lowe's memoization: walk the events in time order; at a call,
 * try to linearize that operation now (its effect must match its recorded output); at a return of an
 * operation not yet linearized, undo the last choice. A (set of linearized operations, register value)
 * pair already explored is never explored again, which keeps typical histories near-linear.
 *
 * <p>An operation whose outcome is unknown has its return at infinity: it may take effect at any point
 * after its invocation, or (by being linearized after everything else) not at all. Unknown reads have no
 * effect and are dropped.
 */
public final class LinearizabilityChecker {

    /** The verdict for one key. */
    public enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, GAVE_UP }

    private final long maxSteps;

    /** @param maxSteps search steps after which the checker gives up rather than run for ever */
    public LinearizabilityChecker(long maxSteps) {
        this.maxSteps = maxSteps;
    }

    /** One call or return in the doubly linked event list; a call points to its return. */
    private static final class Event {
        final Operation op;
        final int id;
        final boolean call;
        Event match;
        Event prev;
        Event next;

        Event(Operation op, int id, boolean call) {
            this.op = op;
            this.id = id;
            this.call = call;
        }
    }

    private record Frame(Event call, String stateBefore) {
    }

    private record Explored(BitSet linearized, String state) {
    }

    /** A verdict and the search steps it took (how close a history came to the budget). */
    public record Outcome(Verdict verdict, long steps) {
    }

    public Verdict check(List<Operation> history) {
        return search(history).verdict();
    }

    /** Like {@link #check}, also saying how many of the {@code maxSteps} the search took. */
    public Outcome search(List<Operation> history) {
        Event head = buildEvents(history);
        BitSet linearized = new BitSet();
        Set<Explored> explored = new HashSet<>();
        Deque<Frame> stack = new ArrayDeque<>();
        String state = null; // every key starts absent
        Event entry = head.next;
        long steps = 0;
        while (head.next != null) {
            if (++steps > maxSteps) {
                return new Outcome(Verdict.GAVE_UP, steps);
            }
            if (entry.call) {
                Operation op = entry.op;
                if (legal(state, op)) {
                    String after = next(state, op);
                    BitSet candidate = (BitSet) linearized.clone();
                    candidate.set(entry.id);
                    if (explored.add(new Explored(candidate, after))) {
                        stack.push(new Frame(entry, state));
                        state = after;
                        linearized.set(entry.id);
                        lift(entry);
                        entry = head.next;
                        continue;
                    }
                }
                entry = entry.next;
            } else {
                // A return whose operation was not linearized yet: some earlier choice was wrong.
                if (stack.isEmpty()) {
                    return new Outcome(Verdict.NOT_LINEARIZABLE, steps);
                }
                Frame f = stack.pop();
                state = f.stateBefore;
                linearized.clear(f.call.id);
                unlift(f.call);
                entry = f.call.next;
            }
        }
        return new Outcome(Verdict.LINEARIZABLE, steps);
    }

    /** Whether {@code op} may take effect when the register holds {@code state}. */
    static boolean legal(String state, Operation op) {
        boolean matches = Objects.equals(state, op.expected());
        return switch (op.kind()) {
            case PUT -> !op.complete() || Objects.equals(state, op.output());
            case GET -> Objects.equals(state, op.output());
            case CAS -> !op.complete() || op.ok() == matches;
            case WRITE -> true; // a blind write fits any state
        };
    }

    /** The register after {@code op} takes effect on {@code state}. */
    static String next(String state, Operation op) {
        return switch (op.kind()) {
            case PUT -> op.value();
            case GET -> state;
            case CAS -> Objects.equals(state, op.expected()) ? op.value() : state;
            case WRITE -> op.value();
        };
    }

    private static Event buildEvents(List<Operation> history) {
        List<Event> events = new ArrayList<>();
        int id = 0;
        for (Operation op : history) {
            if (!op.complete() && op.kind() == KvCommand.Op.GET) {
                continue;
            }
            Event call = new Event(op, id, true);
            Event ret = new Event(op, id, false);
            call.match = ret;
            events.add(call);
            events.add(ret);
            id++;
        }
        // Stamps are unique except PENDING returns, which all sit at the end in any order.
        events.sort(Comparator.comparingLong((Event e) -> e.call ? e.op.invokedAt() : e.op.returnedAt())
                .thenComparingInt(e -> e.id));
        Event head = new Event(null, -1, false);
        Event last = head;
        for (Event e : events) {
            last.next = e;
            e.prev = last;
            last = e;
        }
        return head;
    }

    /** Takes a linearized call and its return out of the list. */
    private static void lift(Event call) {
        call.prev.next = call.next;
        call.next.prev = call.prev;
        Event ret = call.match;
        ret.prev.next = ret.next;
        if (ret.next != null) {
            ret.next.prev = ret.prev;
        }
    }

    /** Puts them back, in the reverse order of {@link #lift}. */
    private static void unlift(Event call) {
        Event ret = call.match;
        ret.prev.next = ret;
        if (ret.next != null) {
            ret.next.prev = ret;
        }
        call.prev.next = call;
        call.next.prev = call;
    }
}
