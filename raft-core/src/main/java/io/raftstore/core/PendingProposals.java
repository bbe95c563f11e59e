package io.raftstore.core;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The leader's own proposals that have not committed yet, with their deadlines and sizes. Used to fail
 * them when leadership is lost or time runs out, and to bound uncommitted data (flow control).
 */
final class PendingProposals {
    private record Pending(long term, long deadline, long bytes) {
    }

    private final TreeMap<Long, Pending> byIndex = new TreeMap<>();
    private long bytes;

    void add(long index, long term, long deadline, long size) {
        byIndex.put(index, new Pending(term, deadline, size));
        bytes += size;
    }

    long uncommittedBytes() {
        return bytes;
    }

    /** Everything up to {@code index} committed: no longer pending. */
    void committedTo(long index) {
        Map<Long, Pending> head = byIndex.headMap(index, true);
        head.values().forEach(p -> bytes -= p.bytes);
        head.clear();
    }

    /** Removes and reports the proposals whose deadline passed. */
    void expire(long now, Consumer<Long> onExpired) {
        Iterator<Map.Entry<Long, Pending>> it = byIndex.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Pending> e = it.next();
            if (e.getValue().deadline <= now) {
                bytes -= e.getValue().bytes;
                it.remove();
                onExpired.accept(e.getKey());
            }
        }
    }

    /** Removes and reports every pending proposal (leadership lost). */
    void drain(Consumer<Long> onDropped) {
        byIndex.keySet().forEach(onDropped);
        byIndex.clear();
        bytes = 0;
    }
}
