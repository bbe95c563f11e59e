package io.raftstore.core.sim;

import io.raftstore.core.HardState;
import io.raftstore.core.LogEntry;
import io.raftstore.core.storage.LogStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Raft's safety properties (Raft paper, figure 3), checked incrementally from what each node persists and
 * applies, so that every simulation step can afford the check:
 * <ul>
 *   <li>Election safety: at most one leader per term.</li>
 *   <li>Log matching: two logs holding an entry of the same index and term hold the same entry, preceded
 *       by the same term. Checked per appended entry, which by induction covers whole logs.</li>
 *   <li>Leader completeness: a node that becomes leader holds every entry known to be committed.</li>
 *   <li>State machine safety: no two nodes apply different entries at one index.</li>
 *   <li>No committed entry lost: every later leader holds a committed entry, and no entry of a later term
 *       is ever written at its index. (An entry of an older term may still be written there: a deposed
 *       leader can reach a follower that has not heard of the new term, as in figure 8 of the paper.)</li>
 *   <li>Vote safety: a node's persisted term never goes back and it never changes its vote within a term.</li>
 * </ul>
 * An entry counts as committed as soon as any node applies it. Violations throw {@link SafetyViolation}.
 */
public final class SafetyChecker {

    /** What is known about the entry at one (index, term): its content and the term before it. */
    private record Slot(long prevTerm, LogEntry entry, String firstWriter) {
    }

    private final Map<Long, String> leaderOfTerm = new HashMap<>();
    private final Map<Long, Map<Long, Slot>> slots = new HashMap<>(); // index -> term -> slot
    private final List<LogEntry> committed = new ArrayList<>(); // committed.get(i - 1) is index i
    /**
     * For each committed index, the lowest term of a node that applied it. The leader that committed the
     * entry had at most that term, so any leader of a higher term must hold the entry.
     */
    private final List<Long> committedBy = new ArrayList<>();
    private final Map<String, HardState> hardStates = new TreeMap<>();

    /** Highest index known to be committed. */
    public long committedIndex() {
        return committed.size();
    }

    /** The committed entry at {@code index}, or null if not known committed. */
    public LogEntry committedAt(long index) {
        return index >= 1 && index <= committed.size() ? committed.get((int) (index - 1)) : null;
    }

    /** Election safety. */
    public void onLeader(String node, long term) {
        String previous = leaderOfTerm.putIfAbsent(term, node);
        if (previous != null && !previous.equals(node)) {
            throw new SafetyViolation("election safety: two leaders in term " + term + ": " + previous + " and "
                    + node);
        }
    }

    /** Vote safety: checked on each persisted hard state. */
    public void onHardState(String node, HardState state) {
        HardState before = hardStates.put(node, state);
        if (before == null) {
            return;
        }
        if (state.term() < before.term()) {
            throw new SafetyViolation(node + " persisted term " + state.term() + " after term " + before.term());
        }
        if (state.term() == before.term() && before.votedFor() != null
                && !before.votedFor().equals(state.votedFor())) {
            throw new SafetyViolation(node + " changed its vote in term " + state.term() + " from "
                    + before.votedFor() + " to " + state.votedFor());
        }
    }

    /**
     * Log matching and no overwrite of committed entries, for entries {@code node} just appended to
     * {@code log} (called after the append, so the term before the first entry is still in the log).
     */
    public void onAppend(String node, List<LogEntry> appended, LogStore log) {
        long prevTerm = appended.isEmpty() ? 0 : log.term(appended.get(0).index() - 1);
        for (LogEntry e : appended) {
            LogEntry known = committedAt(e.index());
            if (known != null && !known.equals(e) && e.term() > committedBy.get((int) (e.index() - 1))) {
                throw new SafetyViolation("committed entry lost: " + node + " wrote " + e + " over committed "
                        + known);
            }
            Slot slot = slots.computeIfAbsent(e.index(), i -> new HashMap<>())
                    .putIfAbsent(e.term(), new Slot(prevTerm, e, node));
            if (slot != null && (slot.prevTerm != prevTerm || !slot.entry.equals(e))) {
                throw new SafetyViolation("log matching: " + node + " holds " + e + " after term " + prevTerm
                        + " but " + slot.firstWriter + " held " + slot.entry + " after term " + slot.prevTerm);
            }
            prevTerm = e.term();
        }
    }

    /**
     * State machine safety; also how the checker learns what is committed.
     *
     * @param nodeTerm the applying node's current term, an upper bound of the term that committed the entry
     */
    public void onApply(String node, LogEntry e, long nodeTerm) {
        long index = e.index();
        if (index <= committed.size()) {
            LogEntry known = committed.get((int) (index - 1));
            if (!known.equals(e)) {
                throw new SafetyViolation("state machine safety: " + node + " applied " + e + " at index " + index
                        + " where " + known + " was applied before");
            }
            committedBy.set((int) (index - 1), Math.min(nodeTerm, committedBy.get((int) (index - 1))));
        } else if (index == committed.size() + 1) {
            committed.add(e);
            committedBy.add(Math.max(nodeTerm, e.term()));
        } else {
            // Indexes below were applied somewhere (a snapshot is built from applied entries) but not seen.
            throw new SafetyViolation(node + " applied " + e + " while only entries up to " + committed.size()
                    + " were ever applied");
        }
    }

    /** A node restored a snapshot at {@code index} of {@code term}: it must be a committed position. */
    public void onRestore(String node, long index, long term) {
        LogEntry known = committedAt(index);
        if (index > 0 && (known == null || known.term() != term)) {
            throw new SafetyViolation(node + " restored a snapshot at " + index + "@" + term
                    + " that does not match the committed log (" + known + ")");
        }
    }

    /** Leader completeness: {@code node}'s log, as it takes office, holds every committed entry. */
    public void onBecameLeader(String node, long term, LogStore log) {
        onLeader(node, term);
        long last = log.lastIndex();
        if (last < committedIndex()) {
            throw new SafetyViolation("leader completeness: " + node + " leads term " + term + " with a log ending"
                    + " at " + last + " but entries up to " + committedIndex() + " are committed");
        }
        for (long i = log.firstIndex(); i <= committedIndex(); i++) {
            long t = log.term(i);
            if (t != committedAt(i).term()) {
                throw new SafetyViolation("leader completeness: " + node + " leads term " + term + " with term " + t
                        + " at index " + i + " where " + committedAt(i) + " is committed");
            }
        }
    }
}
