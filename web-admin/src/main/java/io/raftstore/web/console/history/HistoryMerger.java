package io.raftstore.web.console.history;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Merges the nodes' failover histories into one entry per term.
 *
 * <p>Nodes see one change differently: followers of a crashed leader record an election timeout, the old
 * leader (if alive) a higher term, a restarted node a start-up. The merged cause is the most specific one
 * reported; start-up reports only fill terms nobody else saw, because a node that was down measured its
 * own downtime rather than the cluster's leaderless time. A node also records losing its leader (no new
 * leader yet) under the old term; such an entry is kept only for the latest term, where it means the
 * cluster has no leader right now.
 */
public final class HistoryMerger {

    /** Most to least specific: the first one any observer reports wins. */
    private static final List<String> CAUSE_ORDER = List.of("TRANSFER", "REMOVED", "LOST_QUORUM",
            "ELECTION_TIMEOUT", "HIGHER_TERM", "STARTUP");

    private HistoryMerger() {
    }

    /** Newest first. */
    public static List<LeadershipChange> merge(Collection<ObservedChange> observed) {
        Map<Long, List<ObservedChange>> byTerm = new TreeMap<>();
        for (ObservedChange c : observed) {
            byTerm.computeIfAbsent(c.term(), t -> new ArrayList<>()).add(c);
        }
        long latestTerm = byTerm.isEmpty() ? 0 : ((TreeMap<Long, List<ObservedChange>>) byTerm).lastKey();
        List<LeadershipChange> out = new ArrayList<>();
        byTerm.forEach((term, changes) -> {
            List<ObservedChange> elected = changes.stream().filter(c -> c.newLeader() != null).toList();
            if (!elected.isEmpty()) {
                out.add(mergeTerm(term, elected));
            } else if (term == latestTerm) {
                out.add(mergeTerm(term, changes));
            }
        });
        out.sort(Comparator.comparing(LeadershipChange::time).reversed());
        return out;
    }

    private static LeadershipChange mergeTerm(long term, List<ObservedChange> changes) {
        List<ObservedChange> informed = changes.stream().filter(c -> !"STARTUP".equals(c.cause())).toList();
        List<ObservedChange> basis = informed.isEmpty() ? changes : informed;
        ObservedChange first = basis.stream().min(Comparator.comparing(ObservedChange::time)).orElseThrow();
        String oldLeader = basis.stream().map(ObservedChange::oldLeader).filter(l -> l != null).findFirst().orElse(null);
        String newLeader = basis.stream().map(ObservedChange::newLeader).filter(l -> l != null).findFirst().orElse(null);
        String cause = basis.stream().map(ObservedChange::cause)
                .min(Comparator.comparingInt(HistoryMerger::rank)).orElse("UNKNOWN");
        long leaderless = basis.stream().mapToLong(ObservedChange::leaderlessMillis).max().orElse(0);
        TreeSet<String> observers = new TreeSet<>();
        changes.forEach(c -> observers.add(c.observer()));
        return new LeadershipChange(first.time(), term, oldLeader, newLeader, cause, leaderless, List.copyOf(observers));
    }

    private static int rank(String cause) {
        int i = CAUSE_ORDER.indexOf(cause);
        return i < 0 ? CAUSE_ORDER.size() : i;
    }
}
