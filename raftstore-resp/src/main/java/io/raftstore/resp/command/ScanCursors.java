package io.raftstore.resp.command;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SCAN's cursors on one node: a number standing for the last key a page returned. Redis clients parse cursors
 * as unsigned 64-bit numbers (redis-cli --scan does), so a key cannot travel in the cursor itself; the node
 * remembers it instead, for the most recent {@value #CAPACITY} cursors (any connection of this node may go
 * on with one). Numbers start from a random base per node start, so a cursor from before a restart, or from
 * another node, is unknown rather than someone else's position. Thread-safe.
 */
final class ScanCursors {

    static final int CAPACITY = 10_000;

    private final AtomicLong next;
    private final Map<Long, String> lastKeys = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > CAPACITY;
        }
    };

    /** @param base the first cursor number, above 0 (which means "start" and "done") */
    ScanCursors(long base) {
        this.next = new AtomicLong(Math.max(1, base));
    }

    /** A new cursor for a page that ended at {@code lastKey}. */
    long open(String lastKey) {
        long id = next.getAndIncrement();
        synchronized (lastKeys) {
            lastKeys.put(id, lastKey);
        }
        return id;
    }

    /** The last key {@code cursor} stands for; null when this node does not know it (any more). */
    String lastKey(long cursor) {
        synchronized (lastKeys) {
            return lastKeys.get(cursor);
        }
    }
}
