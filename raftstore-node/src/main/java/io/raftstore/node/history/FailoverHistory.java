package io.raftstore.node.history;

import java.util.List;

/**
 * Where a node keeps the leadership changes it observed, and when it lost and regained each peer.
 *
 * <h2>Thread safety</h2>
 * {@link #record} is called from the event loop, {@link #recordReachability} from the transport's thread;
 * {@link #recent} and {@link #reachability} from request threads at the same time.
 */
public interface FailoverHistory extends AutoCloseable {

    void record(FailoverEvent event);

    /** The latest events, oldest first, at most {@code limit}. */
    List<FailoverEvent> recent(int limit);

    void recordReachability(ReachabilityEvent event);

    /** The latest reachability events, oldest first, at most {@code limit}. */
    List<ReachabilityEvent> reachability(int limit);

    @Override
    default void close() {
    }
}
