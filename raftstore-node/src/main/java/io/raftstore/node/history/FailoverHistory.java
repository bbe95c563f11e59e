package io.raftstore.node.history;

import java.util.List;

/**
 * Where a node keeps the leadership changes it observed.
 *
 * <h2>Thread safety</h2>
 * {@link #record} is called from the event loop; {@link #recent} from request threads at the same time.
 */
public interface FailoverHistory extends AutoCloseable {

    void record(FailoverEvent event);

    /** The latest events, oldest first, at most {@code limit}. */
    List<FailoverEvent> recent(int limit);

    @Override
    default void close() {
    }
}
