package io.raftstore.core;

import io.raftstore.core.message.RaftMessage;

import java.util.List;

/**
 * Everything the driver must do after feeding the engine, as a checklist to follow IN THIS ORDER:
 * <ol>
 *   <li>Persist durably, in this order: {@link #snapshotChunks} into the snapshot store; if
 *       {@link #snapshotToInstall} is set, restore the state machine from that snapshot and reset the log
 *       to start after it; then append {@link #entries} (replacing any conflicting suffix; they may follow
 *       the installed snapshot); then {@link #hardState} if non-null (its commit index may cover those
 *       entries). {@link ReadyPersister} does exactly this.</li>
 *   <li>Only then send {@link #messages}: they may promise what step 1 wrote (a vote, an append).</li>
 *   <li>Apply {@link #committedEntries} to the state machine, in order, and complete the local proposals
 *       whose index and term match.</li>
 *   <li>Serve {@link #reads} from the state machine (it has applied at least each read index), and fail
 *       the requests in {@link #failures}.</li>
 *   <li>Call {@link RaftNode#advance(Ready)} with this object.</li>
 * </ol>
 *
 * @param softState         role, term and leader now, or null if unchanged since the last Ready
 * @param leaderChanges     leadership changes observed, for the failover history
 */
public record Ready(HardState hardState, List<LogEntry> entries, List<SnapshotChunk> snapshotChunks,
                    SnapshotMeta snapshotToInstall, List<RaftMessage> messages, List<LogEntry> committedEntries,
                    List<ReadState> reads, List<RequestFailure> failures, SoftState softState,
                    List<LeaderChange> leaderChanges) {

    /** A received chunk of a snapshot; {@code offset == 0} starts a new snapshot, replacing any partial one. */
    public record SnapshotChunk(SnapshotMeta meta, long offset, byte[] data, boolean done) {
    }

    /** Volatile state worth showing: it changes without anything being persisted. */
    public record SoftState(Role role, long term, String leaderId) {
    }

    /** True when the driver has nothing to persist before sending (messages may go out at once). */
    public boolean nothingToPersist() {
        return hardState == null && entries.isEmpty() && snapshotChunks.isEmpty() && snapshotToInstall == null;
    }
}
