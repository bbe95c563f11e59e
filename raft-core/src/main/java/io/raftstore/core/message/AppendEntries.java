package io.raftstore.core.message;

import io.raftstore.core.LogEntry;

import java.util.List;

/**
 * Replicates entries following ({@code prevLogIndex}, {@code prevLogTerm}); with no entries it is a
 * heartbeat.
 *
 * @param round the leader's heartbeat round; echoed in the response, it confirms leadership for ReadIndex
 */
public record AppendEntries(String from, String to, long term, long prevLogIndex, long prevLogTerm,
                            List<LogEntry> entries, long leaderCommit, long round) implements RaftMessage {
    public AppendEntries {
        entries = List.copyOf(entries);
    }
}
