package io.raftstore.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Read bookkeeping. This node's own reads wait first for a read index (from its own leadership round or
 * from the leader) and then for the state machine to apply it. As leader, it also queues reads (its own
 * and followers') until a heartbeat round sent after their arrival is answered by a quorum — one round
 * confirms every read queued before it, which is how many concurrent reads share one round trip.
 */
final class Reads {

    /** A leader-side read waiting for a quorum to answer heartbeat round {@code round}. */
    record Confirming(String origin, long requestId, long readIndex, long round) {
    }

    /** A leader-side read that arrived before the leader committed an entry of its own term. */
    record Deferred(String origin, long requestId) {
    }

    private static final class Local {
        final long deadline;
        long readIndex = -1;

        Local(long deadline) {
            this.deadline = deadline;
        }
    }

    private final LinkedHashMap<Long, Local> local = new LinkedHashMap<>();
    private final ArrayDeque<Confirming> confirming = new ArrayDeque<>();
    private final ArrayDeque<Deferred> deferred = new ArrayDeque<>();

    boolean addLocal(long requestId, long deadline) {
        return local.putIfAbsent(requestId, new Local(deadline)) == null;
    }

    boolean isLocalPending(long requestId) {
        return local.containsKey(requestId);
    }

    /** The read index of a local read is known; it waits for the state machine now. */
    void indexKnown(long requestId, long readIndex) {
        Local l = local.get(requestId);
        if (l != null && l.readIndex < 0) {
            l.readIndex = readIndex;
        }
    }

    /** Removes a local read (it failed). */
    boolean removeLocal(long requestId) {
        return local.remove(requestId) != null;
    }

    /** Local reads servable once the state machine has applied {@code appliedUpTo}. */
    List<ReadState> takeServable(long appliedUpTo) {
        List<ReadState> out = new ArrayList<>();
        Iterator<Map.Entry<Long, Local>> it = local.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            long idx = e.getValue().readIndex;
            if (idx >= 0 && idx <= appliedUpTo) {
                out.add(new ReadState(e.getKey(), idx));
                it.remove();
            }
        }
        return out;
    }

    boolean hasServable(long appliedUpTo) {
        for (Local l : local.values()) {
            if (l.readIndex >= 0 && l.readIndex <= appliedUpTo) {
                return true;
            }
        }
        return false;
    }

    /** Local reads whose read index is not known yet (failed when leadership is lost). */
    List<Long> localWithoutIndex() {
        List<Long> out = new ArrayList<>();
        local.forEach((id, l) -> {
            if (l.readIndex < 0) {
                out.add(id);
            }
        });
        return out;
    }

    void expire(long now, Consumer<Long> onExpired) {
        Iterator<Map.Entry<Long, Local>> it = local.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue().deadline <= now) {
                it.remove();
                onExpired.accept(e.getKey());
            }
        }
    }

    void enqueue(Confirming read) {
        confirming.addLast(read);
    }

    void defer(Deferred read) {
        deferred.addLast(read);
    }

    List<Deferred> takeDeferred() {
        List<Deferred> out = new ArrayList<>(deferred);
        deferred.clear();
        return out;
    }

    /** Leader-side reads confirmed by a quorum having answered {@code round}. */
    List<Confirming> takeConfirmed(long round) {
        List<Confirming> out = new ArrayList<>();
        while (!confirming.isEmpty() && confirming.peekFirst().round() <= round) {
            out.add(confirming.pollFirst());
        }
        return out;
    }

    boolean hasConfirming() {
        return !confirming.isEmpty();
    }

    /** Leadership lost: every leader-side read is dropped; returns them so their origins can be told. */
    List<Deferred> clearLeaderQueues() {
        List<Deferred> out = new ArrayList<>();
        confirming.forEach(c -> out.add(new Deferred(c.origin(), c.requestId())));
        out.addAll(deferred);
        confirming.clear();
        deferred.clear();
        return out;
    }
}
