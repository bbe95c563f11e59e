package io.raftstore.core.message;

/**
 * The answer to an {@link InstallSnapshot} chunk.
 *
 * @param snapshotIndex the snapshot being transferred
 * @param nextOffset    the offset the follower expects next (0 to restart the transfer)
 * @param done          the follower now holds everything up to snapshotIndex
 */
public record InstallSnapshotResponse(String from, String to, long term, long snapshotIndex, long nextOffset,
                                      boolean done) implements RaftMessage {
}
