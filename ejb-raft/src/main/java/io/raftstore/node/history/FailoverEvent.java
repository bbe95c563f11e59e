package io.raftstore.node.history;

import io.raftstore.core.LeaderChange;

import java.time.Instant;

/**
 * One leadership change as this node saw it.
 *
 * @param leaderlessMillis how long this node knew no leader before {@code newLeader} (0 when it went
 *                         straight from one leader to the next, or when {@code newLeader} is null)
 */
public record FailoverEvent(Instant time, long term, String oldLeader, String newLeader,
                            LeaderChange.Cause cause, long leaderlessMillis) {
}
