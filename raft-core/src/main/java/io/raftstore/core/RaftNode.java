package io.raftstore.core;

import io.raftstore.core.message.RaftMessage;
import io.raftstore.core.storage.RaftStorage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * One Raft node as a pure state machine (after etcd's {@code RawNode}). Not thread-safe: one event-loop
 * thread calls {@link #tick()}, {@link #step}, the request methods, then drains {@link #ready()} and calls
 * {@link #advance} before feeding anything else. Nothing here blocks or performs I/O other than reading
 * the storage it is given.
 */
public final class RaftNode {
    private final Raft raft;
    private HardState persistedHardState;
    private Ready.SoftState shownSoftState;
    private Ready pending;

    /**
     * Opens a node over its storage. {@code appliedIndex} is what the state machine has already applied;
     * committed entries after it are handed out again. If the latest snapshot is ahead of the state
     * machine, restore the state machine from it first.
     */
    public RaftNode(RaftConfig config, RaftStorage storage, long appliedIndex, RandomGenerator random) {
        this.raft = new Raft(config, storage, appliedIndex, random);
        this.persistedHardState = storage.hardState().load();
    }

    public String id() {
        return raft.id;
    }

    /** Advances logical time by one tick (heartbeats, election and request timeouts). */
    public void tick() {
        raft.tick();
    }

    /**
     * The driver's clock ran on for longer than the ticks it delivered (a GC pause, SIGSTOP, a stalled VM: ticks
     * a driver skips rather than delivers in a burst). Ticks are this engine's only clock, so without this a
     * leader resuming from a long pause would count its lease from heartbeats answered before it, while the
     * followers may have elected another leader: a leader serves LEASE reads again only once a quorum answered
     * a round sent after the stall. Call before the tick that follows the stall, and whenever the ticks are more
     * than one tick behind their schedule: the lease allows for that much lateness and no more.
     */
    public void stalled() {
        raft.stalled();
    }

    /** Handles a message from another node. Messages for another node or with a stale term are ignored. */
    public void step(RaftMessage message) {
        raft.step(message);
    }

    /** Proposes a command without a client session. */
    public Proposal propose(byte[] data) {
        return propose(data, 0, 0);
    }

    /**
     * Proposes a command; with a non-zero {@code clientId} the state machine applies it at most once per
     * (clientId, sequence). It is sent with the next {@link #ready()}, batched with every other proposal
     * made since the previous one.
     *
     * @throws NotLeaderException       when this node is not the leader
     * @throws RequestRejectedException during a leadership transfer or when too much is uncommitted
     */
    public Proposal propose(byte[] data, long clientId, long sequence) {
        return raft.requireLeader().propose(EntryType.COMMAND, data, clientId, sequence);
    }

    /** Proposes a single-server membership change; only one may be uncommitted at a time. */
    public Proposal proposeMembership(ConfigChange change) {
        return raft.requireLeader().proposeMembership(change);
    }

    /**
     * Starts a read; when it may be served, {@link Ready#reads()} carries {@code requestId} (or
     * {@link Ready#failures()} says why not). {@code requestId} is the caller's and must be unique among
     * this node's pending reads.
     */
    public void read(long requestId, ReadConsistency consistency) {
        raft.read(requestId, consistency);
    }

    /**
     * For a driver that serves LEASE reads itself, outside {@link #read}: how many more ticks this node, as
     * leader, may answer them from its lease (0: not now; never without {@link RaftConfig#leaseReads()}), each
     * at least at {@link #commitIndex()}. Counted from the tick delivered last, which may have come up to a tick
     * late: the lease's margin allows for that, as it does for the engine's own lease reads.
     */
    public long leaseTicksLeft() {
        return raft.leaseTicksLeft();
    }

    /** The highest log index known committed (what a read started now must see). */
    public long commitIndex() {
        return raft.log.committed();
    }

    /**
     * Tells the engine that {@code peer}'s process is gone, as seen by a failure detector outside Raft
     * (its connections closed). If it led, this follower campaigns within a few ticks instead of after a
     * whole election timeout. Never needed for safety; a wrong report costs at most a refused pre-vote.
     * Ignored unless {@link RaftConfig#peerLossHints()} is on (which also stops lease reads).
     */
    public void peerLost(String peer) {
        raft.peerLost(peer);
    }

    /** Hands leadership to {@code target}, or to the most caught-up voter when null. */
    public void transferLeadership(String target) {
        raft.requireLeader().transfer(target);
    }

    /** Metadata for a snapshot of the state machine at {@code index} (an applied index still in the log). */
    public SnapshotMeta snapshotMetaAt(long index) {
        if (index > raft.log.applied() || index < raft.log.firstIndex() - 1) {
            throw new IllegalArgumentException("cannot snapshot at " + index + ": applied is "
                    + raft.log.applied() + ", the log starts at " + raft.log.firstIndex());
        }
        return new SnapshotMeta(index, raft.log.term(index), raft.memberships.at(index));
    }

    /**
     * The configuration in force at the commit index: unlike {@link NodeStatus#membership()} (the latest
     * appended, which a new leader may still undo), it is final. Use it to decide that a node is really out.
     */
    public Membership committedMembership() {
        return raft.memberships.at(raft.log.committed());
    }

    public boolean hasReady() {
        return !raft.outbox.isEmpty() || raft.log.hasUnstable() || raft.log.hasNextCommitted()
                || hardStateChanged() || !raft.failures.isEmpty()
                || !raft.leaderChanges.isEmpty() || !raft.snapshotChunks.isEmpty() || raft.snapshotToInstall != null
                || softStateChanged() || raft.reads.hasServable(raft.log.applying())
                || (raft.leader != null && raft.leader.hasWork()) || raft.hasUnsentFollowerReads();
    }

    /** What to persist, send, apply and answer now; see {@link Ready} for the order. */
    public Ready ready() {
        if (pending != null) {
            throw new IllegalStateException("advance() the previous Ready before taking another");
        }
        raft.flushFollowerReads();
        if (raft.leader != null) {
            raft.leader.flush();
        }
        HardState hs = currentHardState();
        Ready.SoftState soft = currentSoftState();
        SnapshotMeta install = raft.snapshotToInstall;
        raft.snapshotToInstall = null;
        List<LogEntry> committed = raft.log.takeCommitted(raft.config.maxApplyBatchBytes());
        long appliedAfter = Math.max(raft.log.applying(), install == null ? 0 : install.index());
        pending = new Ready(hs.equals(persistedHardState) ? null : hs, raft.log.unstableEntries(),
                drain(raft.snapshotChunks), install, drain(raft.outbox), committed,
                raft.reads.takeServable(appliedAfter), drain(raft.failures),
                soft.equals(shownSoftState) ? null : soft, drain(raft.leaderChanges), persistedHardState,
                raft.leader != null && raft.membership().voters().size() > 1, raft.log.hasUnsynced());
        return pending;
    }

    /** Acknowledges that everything in {@code ready} was done, in the documented order. */
    public void advance(Ready ready) {
        advance(ready, true);
    }

    /**
     * As {@link #advance}, for a Ready whose {@link Ready#syncMayFollow()} let the driver write its entries
     * without forcing them: they count as this leader's own copy only once {@link #synced} reports them.
     */
    public void advanceUnsynced(Ready ready) {
        if (!ready.syncMayFollow()) {
            throw new IllegalStateException("this Ready's writes must be forced before it is advanced");
        }
        advance(ready, false);
    }

    /**
     * The driver's sync, asked for after {@link #advanceUnsynced} wrote entries up to (index, term), has made
     * the log durable that far: a leader now counts them for itself (and may commit and apply them). Ignored
     * when the entry at {@code index} was replaced meanwhile. Call between Readies, like {@link #step}.
     */
    public void synced(long index, long term) {
        if (pending != null) {
            throw new IllegalStateException("advance() the pending Ready before reporting a sync");
        }
        raft.log.syncedTo(index, term);
        if (raft.leader != null) {
            raft.leader.maybeCommit();
        }
    }

    private void advance(Ready ready, boolean synced) {
        if (ready != pending) {
            throw new IllegalStateException("advance() must be given the Ready last returned by ready()");
        }
        pending = null;
        if (ready.hardState() != null) {
            persistedHardState = ready.hardState();
        }
        if (ready.softState() != null) {
            shownSoftState = ready.softState();
        }
        if (ready.snapshotToInstall() != null) {
            raft.log.snapshotInstalled(ready.snapshotToInstall());
        }
        if (!ready.entries().isEmpty()) {
            LogEntry last = ready.entries().get(ready.entries().size() - 1);
            if (synced) {
                raft.log.stableTo(last.index(), last.term());
            } else {
                raft.log.writtenTo(last.index(), last.term(), ready.entries().get(0).index());
            }
        }
        if (synced && ready.mustSync()) {
            raft.log.allSynced(); // a forced write covers every unforced one before it
            if (raft.leader != null) {
                raft.leader.maybeCommit(); // the leader counts itself only once its entries are durable
            }
        }
        if (!ready.committedEntries().isEmpty()) {
            raft.log.appliedTo(ready.committedEntries().get(ready.committedEntries().size() - 1).index());
        }
    }

    public NodeStatus status() {
        List<NodeStatus.PeerStatus> peers = new ArrayList<>();
        if (raft.leader != null) {
            for (Progress p : raft.leader.progress.values()) {
                peers.add(new NodeStatus.PeerStatus(p.id, raft.membership().isVoter(p.id), p.matchIndex,
                        p.nextIndex, p.recentActive, raft.now - p.lastContactTick, p.state.name()));
            }
        }
        return new NodeStatus(raft.id, raft.role, raft.term, raft.leaderId, raft.log.committed(),
                raft.log.applied(), raft.log.firstIndex(), raft.log.lastIndex(), raft.membership(),
                raft.leader != null && raft.leader.isTransferring(), peers);
    }

    private boolean hardStateChanged() {
        HardState p = persistedHardState;
        return p.term() != raft.term || p.commitIndex() != raft.log.committed()
                || !Objects.equals(p.votedFor(), raft.votedFor) || p.caughtUp() != raft.caughtUp;
    }

    private boolean softStateChanged() {
        Ready.SoftState s = shownSoftState;
        return s == null || s.role() != raft.role || s.term() != raft.term
                || !Objects.equals(s.leaderId(), raft.leaderId);
    }

    private HardState currentHardState() {
        return new HardState(raft.term, raft.votedFor, raft.log.committed(), raft.incarnation, raft.caughtUp);
    }

    private Ready.SoftState currentSoftState() {
        return new Ready.SoftState(raft.role, raft.term, raft.leaderId);
    }

    private static <T> List<T> drain(List<T> list) {
        List<T> out = List.copyOf(list);
        list.clear();
        return out;
    }
}
