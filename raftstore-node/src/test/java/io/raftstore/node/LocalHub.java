package io.raftstore.node;

import io.raftstore.transport.Frame;
import io.raftstore.transport.Transport;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * An in-memory network for driver tests: frames go straight to the destination's listener, except to or
 * from an isolated node, which are dropped (a partition, or a hung process).
 */
final class LocalHub {

    private final ConcurrentHashMap<String, Transport.Listener> listeners = new ConcurrentHashMap<>();
    private final Set<String> isolated = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, LongAdder> sent = new ConcurrentHashMap<>();

    void isolate(String nodeId) {
        isolated.add(nodeId);
    }

    /** Frames {@code nodeId} has sent so far, delivered or not. */
    long framesSentBy(String nodeId) {
        LongAdder n = sent.get(nodeId);
        return n == null ? 0 : n.sum();
    }

    Transport transport(String self) {
        return new Transport() {
            @Override
            public void start(Listener listener) {
                listeners.put(self, listener);
            }

            @Override
            public String localId() {
                return self;
            }

            @Override
            public void send(String to, Frame frame) {
                sent.computeIfAbsent(self, k -> new LongAdder()).increment();
                Listener l = listeners.get(to);
                if (l != null && !isolated.contains(to) && !isolated.contains(self)) {
                    l.onFrame(self, frame);
                }
            }

            @Override
            public Set<String> reachable() {
                Set<String> all = new TreeSet<>(listeners.keySet());
                all.remove(self);
                all.removeAll(isolated);
                return all;
            }

            @Override
            public void close() {
                listeners.remove(self);
            }
        };
    }
}
