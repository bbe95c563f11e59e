package io.raftstore.node.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** A bounded history that lives as long as the process (tests, and nodes without a data directory). */
public final class InMemoryFailoverHistory implements FailoverHistory {

    private final int capacity;
    private final ArrayDeque<FailoverEvent> events = new ArrayDeque<>();
    private final ArrayDeque<ReachabilityEvent> reachability = new ArrayDeque<>();

    public InMemoryFailoverHistory(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public synchronized void record(FailoverEvent event) {
        events.addLast(event);
        while (events.size() > capacity) {
            events.removeFirst();
        }
    }

    @Override
    public synchronized List<FailoverEvent> recent(int limit) {
        return latest(events, limit);
    }

    @Override
    public synchronized void recordReachability(ReachabilityEvent event) {
        reachability.addLast(event);
        while (reachability.size() > capacity) {
            reachability.removeFirst();
        }
    }

    @Override
    public synchronized List<ReachabilityEvent> reachability(int limit) {
        return latest(reachability, limit);
    }

    private static <T> List<T> latest(ArrayDeque<T> kept, int limit) {
        List<T> all = new ArrayList<>(kept);
        return List.copyOf(all.subList(Math.max(0, all.size() - limit), all.size()));
    }
}
