package io.raftstore.core.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>Unknown writes never leave the list of candidates, so at every later point the search may try them
 * again; two exact reductions keep it from trying the same thing under different names (measured on engine
 * simulation seeds 5000..5999: a 2,403-operation key with 10 unknown writes took 2,967,253 steps without
 * them, 112,250 with them):
 * <ol>
 * <li><b>Unobserved values are one state.</b> {@link #legal} compares the register only with the outputs of
 * complete reads and puts and the expected values of compare-and-sets. A value that is none of these (an
 * unknown write nobody read) can only make such comparisons fail, exactly as any other such value would, so
 * the search runs on a register in which every one of them is one token. Legality is decided the same way
 * on it as on the real register, so every linearization found is a real one.
 * <li><b>Interchangeable unknown operations are counted, not named.</b> Two unknown operations that act
 * alike on that register (a put or write of the same abstract value; a compare-and-set with the same
 * expected and abstract new value) are the same move once both are invoked. Every operation the search has
 * linearized was invoked before the earliest return still open, so of two configurations that have
 * linearized the same complete operations, the same other operations and as many of such a group, each can
 * still take the same moves as the other: the memo records how many of a group were taken, not which.
 * </ol>
 */
public final class LinearizabilityChecker {

    /** The verdict for one key. */
    public enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, GAVE_UP }

    /** What the register holds, as the search sees it, when it holds a value no operation looks for. */
    static final String UNOBSERVED = "(unobserved)";

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
        Abstraction abstraction = new Abstraction(head);
        // Memo key: a bit per linearized operation, except that interchangeable unknown operations set
        // their group's first bits, as many as were linearized (Abstraction.take).
        BitSet linearized = new BitSet();
        Set<Explored> explored = new HashSet<>();
        Deque<Frame> stack = new ArrayDeque<>();
        String state = abstraction.value(null); // every key starts absent
        Event entry = head.next;
        long steps = 0;
        while (head.next != null) {
            if (++steps > maxSteps) {
                return new Outcome(Verdict.GAVE_UP, steps);
            }
            if (entry.call) {
                Operation op = entry.op;
                if (legal(state, op)) {
                    String after = abstraction.value(next(state, op));
                    BitSet candidate = (BitSet) linearized.clone();
                    candidate.set(abstraction.nextBit(entry.id));
                    if (explored.add(new Explored(candidate, after))) {
                        stack.push(new Frame(entry, state));
                        state = after;
                        linearized.set(abstraction.take(entry.id));
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
                linearized.clear(abstraction.giveBack(f.call.id));
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

    /** The register as the search sees it, and the memo bits of operations; see the class comment. */
    private static final class Abstraction {
        /** The one token for every value that no operation compares the register with. */
        private final String unobserved;
        private final Set<String> observed = new HashSet<>();
        /** Per operation id: its group of interchangeable unknown operations, or -1. */
        private final int[] group;
        /** Per group: the ids of its members, whose bits stand for "this many were linearized". */
        private final int[][] members;
        private final int[] taken;

        Abstraction(Event head) {
            int count = 0;
            for (Event e = head.next; e != null; e = e.next) {
                Operation op = e.op;
                if (e.call) {
                    count = Math.max(count, e.id + 1);
                    if (op.kind() == KvCommand.Op.CAS) {
                        observed.add(op.expected());
                    } else if (op.complete() && (op.kind() == KvCommand.Op.PUT || op.kind() == KvCommand.Op.GET)) {
                        observed.add(op.output());
                    }
                }
            }
            String token = UNOBSERVED;
            while (observed.contains(token)) {
                token += "'";
            }
            unobserved = token;
            group = new int[count];
            Arrays.fill(group, -1);
            Map<List<Object>, List<Integer>> groups = new LinkedHashMap<>();
            for (Event e = head.next; e != null; e = e.next) {
                if (e.call && !e.op.complete()) { // unknown reads are not in the list
                    Operation op = e.op;
                    List<Object> behaviour = op.kind() == KvCommand.Op.CAS
                            ? Arrays.asList("cas", op.expected(), value(op.value()))
                            : Arrays.asList("write", value(op.value())); // an unknown put returns nothing
                    groups.computeIfAbsent(behaviour, b -> new ArrayList<>()).add(e.id);
                }
            }
            members = new int[groups.size()][];
            taken = new int[groups.size()];
            int g = 0;
            for (List<Integer> ids : groups.values()) {
                members[g] = ids.stream().mapToInt(Integer::intValue).toArray();
                for (int id : members[g]) {
                    group[id] = g;
                }
                g++;
            }
        }

        /** The register's value as the search holds it. */
        String value(String real) {
            return observed.contains(real) ? real : unobserved;
        }

        /** The memo bit that linearizing operation {@code id} would set. */
        int nextBit(int id) {
            int g = group[id];
            return g < 0 ? id : members[g][taken[g]];
        }

        /** Linearizes operation {@code id}; returns the memo bit to set. */
        int take(int id) {
            int g = group[id];
            return g < 0 ? id : members[g][taken[g]++];
        }

        /** Undoes the latest {@link #take} of operation {@code id}; returns the memo bit to clear. */
        int giveBack(int id) {
            int g = group[id];
            return g < 0 ? id : members[g][--taken[g]];
        }
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
