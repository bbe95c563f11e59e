package io.raftstore.core;

import io.raftstore.core.message.AppendEntries;
import io.raftstore.core.message.InstallSnapshot;
import io.raftstore.core.message.RaftMessage;
import io.raftstore.core.message.ReadIndexRequest;
import io.raftstore.core.message.ReadIndexResponse;
import io.raftstore.core.message.TimeoutNow;

import java.util.List;
import java.util.Objects;

/**
 * Everything the driver must do after feeding the engine, as a checklist to follow IN THIS ORDER:
 * <ol>
 *   <li>Persist durably, in this order: {@link #snapshotChunks} into the snapshot store; if
 *       {@link #snapshotToInstall} is set, restore the state machine from that snapshot and reset the log
 *       to start after it; then append {@link #entries} (replacing any conflicting suffix; they may follow
 *       the installed snapshot); then {@link #hardState} if non-null (its commit index may cover those
 *       entries). {@link ReadyPersister} does exactly this.</li>
 *   <li>Only then send {@link #messages}: they may promise what step 1 wrote (a vote, an append). When
 *       {@link #messagesMayPrecedePersist()}, nothing in them depends on step 1, so they may go first and
 *       the disk write overlaps their trip (a leader's own append, dissertation §10.2.1).</li>
 *   <li>Apply {@link #committedEntries} to the state machine, in order, and complete the local proposals
 *       whose index and term match. The first {@link #durableCommitted()} of them are durable here already
 *       and may be applied before step 1.</li>
 *   <li>Serve {@link #reads} from the state machine (it has applied at least each read index), and fail
 *       the requests in {@link #failures}.</li>
 *   <li>Call {@link RaftNode#advance(Ready)} with this object.</li>
 * </ol>
 *
 * @param softState         role, term and leader now, or null if unchanged since the last Ready
 * @param leaderChanges     leadership changes observed, for the failover history
 * @param persistedHardState the hard state step 1 of the previous Ready wrote, to tell what changed
 * @param leaderMayDefer    made by a leader with followers, which may count its own copy later (see
 *                          {@link #syncMayFollow()})
 * @param unsyncedBefore    entries earlier Readies wrote unforced are not yet reported synced
 */
public record Ready(HardState hardState, List<LogEntry> entries, List<SnapshotChunk> snapshotChunks,
                    SnapshotMeta snapshotToInstall, List<RaftMessage> messages, List<LogEntry> committedEntries,
                    List<ReadState> reads, List<RequestFailure> failures, SoftState softState,
                    List<LeaderChange> leaderChanges, HardState persistedHardState, boolean leaderMayDefer,
                    boolean unsyncedBefore) {

    /** A received chunk of a snapshot; {@code offset == 0} starts a new snapshot, replacing any partial one. */
    public record SnapshotChunk(SnapshotMeta meta, long offset, byte[] data, boolean done) {
    }

    /** Volatile state worth showing: it changes without anything being persisted. */
    public record SoftState(Role role, long term, String leaderId) {
    }

    /**
     * True when the messages promise nothing that step 1 writes, so they may be sent before it: they are
     * requests that do not depend on the sender's durable state (AppendEntries and snapshot chunks of a
     * leader, which counts its own entries only after {@link RaftNode#advance}; read-index and transfer
     * messages), and the term and vote they are sent under are already durable. Votes, vote requests and
     * acknowledgements always wait for the disk.
     */
    public boolean messagesMayPrecedePersist() {
        if (termOrVoteChanged()) {
            return false;
        }
        for (RaftMessage m : messages) {
            if (!(m instanceof AppendEntries || m instanceof InstallSnapshot || m instanceof TimeoutNow
                    || m instanceof ReadIndexRequest || m instanceof ReadIndexResponse)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether step 1 must be forced to disk before the driver goes on: it holds entries, a snapshot, a new
     * term or vote, or this data directory's first confirmation that it is caught up (which the node
     * announces and a leader then counts; lost in a crash, it would keep a voter from voting until a leader
     * confirmed it again, and with another voter wiped meanwhile none could ever be elected). Otherwise only
     * the commit index moved, which a crash may take back (a node relearns it from the leader), so the driver
     * may write it without waiting for the disk.
     */
    public boolean mustSync() {
        return !entries.isEmpty() || !snapshotChunks.isEmpty() || snapshotToInstall != null || termOrVoteChanged()
                || caughtUpChanged() || (unsyncedBefore && !leaderMayDefer);
    }

    /**
     * True when the driver may write this Ready without forcing it, then advance it with
     * {@link RaftNode#advanceUnsynced}, sync on another thread and report {@link RaftNode#synced}: a leader's
     * new entries and nothing else that must be durable first. Nothing waits for its own copy but its own count
     * toward a commit (dissertation §10.2.1: a leader may commit on its followers' copies alone), and the
     * entries are applied only once synced. Everything written unforced is forced by the first Ready that is
     * not a leader's ({@link #mustSync()}), before any vote or acknowledgement could vouch for it.
     */
    public boolean syncMayFollow() {
        // messagesMayPrecedePersist() rules out a new term or vote, and any message that vouches for the disk.
        return leaderMayDefer && !entries.isEmpty() && !carriesSnapshot() && !caughtUpChanged()
                && messagesMayPrecedePersist();
    }

    private boolean caughtUpChanged() {
        return hardState != null && hardState.caughtUp() != persistedHardState.caughtUp();
    }

    private boolean termOrVoteChanged() {
        return hardState != null && (hardState.term() != persistedHardState.term()
                || !Objects.equals(hardState.votedFor(), persistedHardState.votedFor()));
    }

    /**
     * How many of {@link #committedEntries} an earlier Ready already made durable in this node's log, so that
     * the driver may apply them (and answer their clients) before this Ready's writes: those that precede this
     * Ready's {@link #entries} (which may replace a suffix of the log), or all of them when it has none. None
     * when it installs a snapshot, which replaces what they would be applied to. A leader may commit entries
     * that are not durable here yet (a quorum of followers holds them), but hands them out for applying only
     * once they are: written by an earlier Ready and forced or reported {@link RaftNode#synced}.
     */
    public int durableCommitted() {
        if (carriesSnapshot()) {
            return 0;
        }
        if (entries.isEmpty()) {
            return committedEntries.size();
        }
        long firstNew = entries.get(0).index();
        int n = 0;
        while (n < committedEntries.size() && committedEntries.get(n).index() < firstNew) {
            n++;
        }
        return n;
    }

    /**
     * True when this Ready writes a received snapshot (chunks, or the install): a snapshot becomes durable on its
     * own, so drivers persist such a Ready outside any enclosing storage transaction.
     */
    public boolean carriesSnapshot() {
        return !snapshotChunks.isEmpty() || snapshotToInstall != null;
    }

    /** True when the driver has nothing to persist before sending (messages may go out at once). */
    public boolean nothingToPersist() {
        return hardState == null && entries.isEmpty() && snapshotChunks.isEmpty() && snapshotToInstall == null;
    }
}
