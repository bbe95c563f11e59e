package io.raftstore.core.message;

/** A message between two Raft nodes. Every message carries the sender's term. */
public sealed interface RaftMessage
        permits RequestVote, RequestVoteResponse, AppendEntries, AppendEntriesResponse, InstallSnapshot,
        InstallSnapshotResponse, TimeoutNow, ReadIndexRequest, ReadIndexResponse {
    String from();

    String to();

    long term();
}
