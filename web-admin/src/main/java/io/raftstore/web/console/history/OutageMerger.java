package io.raftstore.web.console.history;

import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns every node's reachability changes ({@code /api/cluster/reachability}) into outages per node: each
 * observer's "lost n3 at t1, saw it again at t2" is an interval, and intervals of the same node that overlap
 * are one outage, seen by all their observers. Deterministic: the same reports give the same outages, whichever
 * node serves the page.
 */
public final class OutageMerger {

    /** One change as one node reported it. */
    record Observed(String observer, Instant time, String peer, boolean reachable) {
        static Observed fromJson(String observer, JsonObject o) {
            return new Observed(observer, Instant.parse(o.getString("time")), o.getString("peer"),
                    o.getBoolean("reachable"));
        }
    }

    private record Interval(String observer, Instant from, Instant until) {
    }

    /**
     * Overlapping intervals of one node. It is back when an observer saw it again: the latest such time in the
     * group. Only a group in which no observer saw it again is still going: an observer that died while the node
     * was down reports it lost for ever, and must not keep an outage open that the others saw end.
     */
    private static final class Group {
        private final Instant from;
        private Instant until;
        private final TreeSet<String> observers = new TreeSet<>();

        Group(Instant from) {
            this.from = from;
        }

        boolean overlaps(Interval i) {
            return until == null || !i.from().isAfter(until);
        }

        void add(Interval i) {
            observers.add(i.observer());
            if (i.until() != null && (until == null || i.until().isAfter(until))) {
                until = i.until();
            }
        }

        Outage outage(String node) {
            return new Outage(node, from, until, List.copyOf(observers));
        }
    }

    private OutageMerger() {
    }

    /** The reports by observer, as {@link io.raftstore.web.service.cluster.ClusterAggregator#reachability} gives. */
    public static List<Outage> fromReports(Map<String, List<JsonObject>> byObserver) {
        List<Observed> all = new ArrayList<>();
        byObserver.forEach((observer, list) -> list.forEach(o -> all.add(Observed.fromJson(observer, o))));
        return merge(all);
    }

    /** Newest first. */
    static List<Outage> merge(List<Observed> observed) {
        Map<String, List<Interval>> byPeer = new TreeMap<>();
        Map<String, List<Observed>> byObserverAndPeer = new TreeMap<>();
        for (Observed o : observed) {
            byObserverAndPeer.computeIfAbsent(o.observer() + "\u0000" + o.peer(), k -> new ArrayList<>()).add(o);
        }
        byObserverAndPeer.values().forEach(changes -> {
            changes.sort(Comparator.comparing(Observed::time));
            Instant lost = null;
            for (Observed c : changes) {
                if (!c.reachable() && lost == null) {
                    lost = c.time();
                } else if (c.reachable() && lost != null) {
                    byPeer.computeIfAbsent(c.peer(), k -> new ArrayList<>()).add(new Interval(c.observer(), lost, c.time()));
                    lost = null;
                }
            }
            if (lost != null) {
                Observed last = changes.get(changes.size() - 1);
                byPeer.computeIfAbsent(last.peer(), k -> new ArrayList<>()).add(new Interval(last.observer(), lost, null));
            }
        });
        List<Outage> outages = new ArrayList<>();
        byPeer.forEach((peer, intervals) -> {
            intervals.sort(Comparator.comparing(Interval::from));
            Group g = null;
            for (Interval i : intervals) {
                if (g != null && !g.overlaps(i)) {
                    outages.add(g.outage(peer));
                    g = null;
                }
                if (g == null) {
                    g = new Group(i.from());
                }
                g.add(i);
            }
            if (g != null) {
                outages.add(g.outage(peer));
            }
        });
        outages.sort(Comparator.comparing(Outage::from).reversed().thenComparing(Outage::node));
        return outages;
    }
}
