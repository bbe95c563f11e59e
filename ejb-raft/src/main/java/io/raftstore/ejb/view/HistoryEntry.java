package io.raftstore.ejb.view;

import java.time.Instant;

/**
 * One change of leader this node observed.
 *
 * @param oldLeader        null when none was known before
 * @param newLeader        null when the cluster was left without one
 * @param cause            why, as the name of the node's cause (e.g. {@code ELECTION}, {@code TRANSFER})
 * @param leaderlessMillis how long no leader was known
 */
public record HistoryEntry(Instant time, long term, String oldLeader, String newLeader, String cause,
                           long leaderlessMillis) {
}
