package io.raftstore.core;

import io.raftstore.core.message.RaftMessage;
import io.raftstore.core.storage.RaftStorage;

import java.util.random.RandomGenerator;

/**
 * One Raft node as a pure state machine (after etcd's {@code RawNode}). Not thread-safe: one event-loop
 * thread calls {@link #tick()}, {@link #step}, the request methods, then drains {@link #ready()} and calls
 * {@link #advance}. Nothing here blocks or performs I/O other than reading the storage it is given.
 */
public final class RaftNode {

    /**
     * Opens a node over its storage. {@code appliedIndex} is what the state machine has already applied
     * (entries after it and up to the persisted commit index are handed out again for applying).
     */
    public RaftNode(RaftConfig config, RaftStorage storage, long appliedIndex, RandomGenerator random) {
        throw new UnsupportedOperationException("engine not written yet");
    }

    /** Advances logical time by one tick (heartbeats, election and request timeouts). */
    public void tick() {
    }

    /** Handles a message from another node. Messages for another node or with a stale term are ignored. */
    public void step(RaftMessage message) {
    }

    /** Proposes a command without a client session. */
    public Proposal propose(byte[] data) {
        return propose(data, 0, 0);
    }

    /**
     * Proposes a command; with a non-zero {@code clientId} the state machine applies it at most once per
     * (clientId, sequence).
     *
     * @throws NotLeaderException       when this node is not the leader
     * @throws RequestRejectedException during a leadership transfer or when too much is uncommitted
     */
    public Proposal propose(byte[] data, long clientId, long sequence) {
        return null;
    }

    /** Proposes a single-server membership change; only one may be uncommitted at a time. */
    public Proposal proposeMembership(ConfigChange change) {
        return null;
    }

    /**
     * Starts a read; when it may be served, {@link Ready#reads()} carries {@code requestId} (or
     * {@link Ready#failures()} says why not). {@code requestId} is the caller's and must be unique among
     * this node's pending reads.
     */
    public void read(long requestId, ReadConsistency consistency) {
    }

    /** Hands leadership to {@code target}, or to the most caught-up voter when null. */
    public void transferLeadership(String target) {
    }

    /** Metadata for a snapshot of the state machine at {@code index} (term and membership at that index). */
    public SnapshotMeta snapshotMetaAt(long index) {
        return null;
    }

    public boolean hasReady() {
        return false;
    }

    /** What to persist, send, apply and answer now; see {@link Ready} for the order. */
    public Ready ready() {
        return null;
    }

    /** Acknowledges that everything in {@code ready} was done. */
    public void advance(Ready ready) {
    }

    public NodeStatus status() {
        return null;
    }

    public String id() {
        return null;
    }
}
