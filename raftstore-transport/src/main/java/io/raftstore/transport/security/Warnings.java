package io.raftstore.transport.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

/** Warnings about peers, each kind at most once per peer every 30 s: a refused node retries many times a second. */
final class Warnings {

    private static final Logger LOG = Logger.getLogger(FrameSealer.class.getName());
    private static final long INTERVAL_NANOS = 30_000_000_000L;

    private final Map<String, Long> last = new ConcurrentHashMap<>();

    /** @param key the peer and the kind of warning */
    void warn(String key, Supplier<String> message) {
        if (due(key)) {
            LOG.warning(message);
        }
    }

    /** True at most once every 30 s per key. */
    boolean due(String key) {
        long now = System.nanoTime();
        Long before = last.get(key);
        if (before != null && now - before < INTERVAL_NANOS) {
            return false;
        }
        last.put(key, now);
        return true;
    }
}
