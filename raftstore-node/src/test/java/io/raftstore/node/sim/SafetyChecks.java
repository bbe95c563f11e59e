package io.raftstore.node.sim;

import io.raftstore.core.LogEntry;
import io.raftstore.core.NodeStatus;
import io.raftstore.core.Role;
import io.raftstore.core.storage.LogStore;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What must hold after every turn of every node, read from outside through the node's status and its
 * durable log: at most one leader per term; no two nodes ever hold different entries at an index either
 * knows to be committed (which also catches a committed entry lost in a crash or to a wiped voter and
 * overwritten later); and a new leader holds every entry committed before it took office.
 */
final class SafetyChecks {

    private record EntryId(long term, int type, int hash) {
        static EntryId of(LogEntry e) {
            return new EntryId(e.term(), e.type().ordinal(), Arrays.hashCode(e.data()) * 31 + Long.hashCode(e.clientId()));
        }
    }

    private final SimWorld world;
    private final Map<Long, String> leaders = new HashMap<>();
    private final TreeMap<Long, EntryId> committed = new TreeMap<>();
    /** Per node, up to where its committed entries were compared (reset at each start). */
    private final Map<String, Long> checkedUpTo = new HashMap<>();
    private final Map<String, Long> leaderTerm = new HashMap<>();
    long turns;

    SafetyChecks(SimWorld world) {
        this.world = world;
    }

    void started(SimNode node) {
        checkedUpTo.put(node.id, 0L);
        leaderTerm.remove(node.id);
    }

    void afterTurn(SimNode node) {
        turns++;
        NodeStatus s = node.status();
        LogStore log = node.log();
        if (s.role() == Role.LEADER) {
            String other = leaders.putIfAbsent(s.term(), node.id);
            if (other != null && !other.equals(node.id)) {
                fail("two leaders in term " + s.term() + ": " + other + " and " + node.id);
            }
            if (!Long.valueOf(s.term()).equals(leaderTerm.put(node.id, s.term()))) {
                checkLeaderCompleteness(node, log);
            }
        }
        long from = Math.max(checkedUpTo.getOrDefault(node.id, 0L) + 1, log.firstIndex());
        long to = Math.min(s.commitIndex(), log.lastIndex());
        for (long i = from; i <= to; ) {
            List<LogEntry> batch = log.entries(i, to, 1 << 20);
            for (LogEntry e : batch) {
                EntryId id = EntryId.of(e);
                EntryId before = committed.putIfAbsent(e.index(), id);
                if (before != null && !before.equals(id)) {
                    fail(node.id + " holds " + id + " at committed index " + e.index() + " where " + before
                            + " was committed");
                }
            }
            i += batch.size();
        }
        checkedUpTo.put(node.id, Math.max(to, checkedUpTo.getOrDefault(node.id, 0L)));
    }

    private void checkLeaderCompleteness(SimNode node, LogStore log) {
        for (Map.Entry<Long, EntryId> c : committed.tailMap(log.firstIndex()).entrySet()) {
            long i = c.getKey();
            if (i > log.lastIndex() || log.term(i) != c.getValue().term()) {
                fail(node.id + " leads term " + node.status().term() + " without committed entry " + i + " ("
                        + c.getValue() + "); its log ends at " + log.lastIndex());
            }
        }
    }

    private void fail(String what) {
        world.trace("--", "VIOLATION " + what);
        throw new SafetyViolationError(what);
    }
}
