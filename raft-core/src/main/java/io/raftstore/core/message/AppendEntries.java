package io.raftstore.core.message;

import io.raftstore.core.LogEntry;

import java.util.List;

/**
 * Replicates entries following ({@code prevLogIndex}, {@code prevLogTerm}); with no entries it is a
 * heartbeat.
 *
 * @param round                the leader's heartbeat round; echoed in the response, it confirms leadership
 *                             for ReadIndex
 * @param confirmedIncarnation the receiver's incarnation when the leader confirms it caught up (it holds
 *                             everything it may have acknowledged before its data was lost), else 0
 */
public record AppendEntries(String from, String to, long term, long prevLogIndex, long prevLogTerm,
                            List<LogEntry> entries, long leaderCommit, long round, long confirmedIncarnation)
        implements RaftMessage {
    public AppendEntries {
        entries = List.copyOf(entries);
    }

    /** Confirms nothing. */
    public AppendEntries(String from, String to, long term, long prevLogIndex, long prevLogTerm,
                         List<LogEntry> entries, long leaderCommit, long round) {
        this(from, to, term, prevLogIndex, prevLogTerm, entries, leaderCommit, round, 0);
    }
}
