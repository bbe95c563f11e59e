package io.raftstore.bench;

import com.sun.management.ThreadMXBean;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * The bytes the JVM's threads allocated between two moments: the figure behind the collector's pauses, which
 * unlike throughput does not move with the machine's load. Threads that ended in between are not counted, so
 * a harness takes its second reading while its client threads still run.
 *
 * <p>Nothing but the JDK, as {@link ClosedLoopLoad}: the peer harnesses use it on their own classpath.
 */
final class Allocation {

    private static final ThreadMXBean THREADS = threads();

    private final Map<Long, Long> start;

    private Allocation(Map<Long, Long> start) {
        this.start = start;
    }

    /** Starts counting now; null where the JVM cannot count allocation per thread. */
    static Allocation begin() {
        return THREADS == null ? null : new Allocation(snapshot());
    }

    /** Bytes allocated since {@link #begin} by the threads alive now (a new thread counts from its start). */
    long bytesSince() {
        long total = 0;
        for (Map.Entry<Long, Long> now : snapshot().entrySet()) {
            total += now.getValue() - start.getOrDefault(now.getKey(), 0L);
        }
        return total;
    }

    private static Map<Long, Long> snapshot() {
        long[] ids = THREADS.getAllThreadIds();
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        Map<Long, Long> byThread = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) { // -1: the thread ended meanwhile
                byThread.put(ids[i], bytes[i]);
            }
        }
        return byThread;
    }

    private static ThreadMXBean threads() {
        if (ManagementFactory.getThreadMXBean() instanceof ThreadMXBean t
                && t.isThreadAllocatedMemorySupported()) {
            t.setThreadAllocatedMemoryEnabled(true);
            return t;
        }
        return null;
    }
}
