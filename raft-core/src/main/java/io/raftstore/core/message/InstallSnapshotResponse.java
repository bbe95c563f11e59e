package io.raftstore.core.message;

/**
 * The answer to an {@link InstallSnapshot} chunk.
 *
 * @param snapshotIndex the snapshot being transferred
 * @param nextOffset    the offset the follower expects next (0 to restart the transfer)
 * @param done          the follower now holds everything up to snapshotIndex
 * @param incarnation   the sender's incarnation, 0 if none (see {@link AppendEntriesResponse})
 * @param caughtUp      the sender's {@link io.raftstore.core.HardState#caughtUp()}
 */
public record InstallSnapshotResponse(String from, String to, long term, long snapshotIndex, long nextOffset,
                                      boolean done, long incarnation, boolean caughtUp) implements RaftMessage {
    /** From a node without an incarnation. */
    public InstallSnapshotResponse(String from, String to, long term, long snapshotIndex, long nextOffset,
                                   boolean done) {
        this(from, to, term, snapshotIndex, nextOffset, done, 0, true);
    }
}
