package io.raftstore.web.service.cluster;

import java.util.Map;
import java.util.TreeMap;

/**
 * Turns "entries behind" into "milliseconds behind": it remembers when the leader's commit index first
 * reached each value it was seen at, so a node that has applied up to {@code i} is as far behind as the
 * first commit index above {@code i} is old. Accurate to the polling interval; bounded in memory.
 */
public final class LagClock {

    private static final int MAX_SAMPLES = 2_000;

    private final TreeMap<Long, Long> firstSeen = new TreeMap<>();

    /** Records that the leader's commit index was {@code commitIndex} at {@code nowMillis}. */
    public synchronized void observe(long commitIndex, long nowMillis) {
        firstSeen.putIfAbsent(commitIndex, nowMillis);
        while (firstSeen.size() > MAX_SAMPLES) {
            firstSeen.pollFirstEntry();
        }
    }

    /**
     * How long ago the oldest commit this node has not applied was first seen; 0 when it is caught up,
     * null when no sample is old enough to tell.
     */
    public synchronized Long millisBehind(long applied, long leaderCommit, long nowMillis) {
        if (applied >= leaderCommit) {
            return 0L;
        }
        Map.Entry<Long, Long> oldestUnapplied = firstSeen.higherEntry(applied);
        return oldestUnapplied == null ? null : Math.max(0, nowMillis - oldestUnapplied.getValue());
    }
}
