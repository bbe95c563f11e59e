package io.raftstore.node.history;

import io.raftstore.core.LeaderChange;

import java.time.Instant;

/**
 * One leadership change as this node saw it.
 *
 * @param leaderlessMillis how long no leader served, as this node saw it: from the old leader's last
 *                         message (or from losing sight of a leader) until {@code newLeader}; 0 when
 *                         {@code newLeader} is null
 */
public record FailoverEvent(Instant time, long term, String oldLeader, String newLeader,
                            LeaderChange.Cause cause, long leaderlessMillis) {
}
