package io.raftstore.core.storage;

import io.raftstore.core.HardState;

/**
 * Stable storage for {@link HardState} (current term, vote, commit index).
 *
 * <h2>Durability and failure</h2>
 * {@link #save} is durable on return and atomic: after a crash {@link #load} returns either the old or
 * the new state. A node must never vote twice in one term, so the driver saves before it sends the vote.
 *
 * <h2>Thread safety</h2>
 * Not required; called from the node's single event-loop thread.
 */
public interface HardStateStore {

    /** The last saved state, or {@link HardState#EMPTY} for a store that was never written. */
    HardState load();

    void save(HardState state);
}
