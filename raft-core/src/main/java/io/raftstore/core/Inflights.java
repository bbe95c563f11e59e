package io.raftstore.core;

import java.util.ArrayDeque;

/**
 * The AppendEntries a leader has in flight to one follower, bounded by count and bytes so a slow follower
 * cannot make the leader buffer without limit (pipelining window).
 */
final class Inflights {
    private final int maxCount;
    private final long maxBytes;
    private final ArrayDeque<long[]> window = new ArrayDeque<>();
    private long bytes;

    Inflights(int maxCount, long maxBytes) {
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
    }

    void add(long lastIndex, long size) {
        window.addLast(new long[] {lastIndex, size});
        bytes += size;
    }

    /** Forgets every message whose entries are all at or below {@code index}. */
    void freeTo(long index) {
        while (!window.isEmpty() && window.peekFirst()[0] <= index) {
            bytes -= window.pollFirst()[1];
        }
    }

    boolean full() {
        return window.size() >= maxCount || bytes >= maxBytes;
    }

    boolean isEmpty() {
        return window.isEmpty();
    }

    void reset() {
        window.clear();
        bytes = 0;
    }
}
