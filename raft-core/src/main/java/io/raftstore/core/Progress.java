package io.raftstore.core;

import java.util.HashSet;
import java.util.Set;

/**
 * What the leader knows of one follower's log (Raft's {@code nextIndex} and {@code matchIndex}) and how it
 * currently replicates to it.
 */
final class Progress {

    /** How entries flow to the follower. */
    enum State {
        /** Position unknown: one AppendEntries at a time until one succeeds. */
        PROBE,
        /** Position known: stream entries optimistically, bounded by the inflight window. */
        REPLICATE,
        /** Behind the compacted log: sending a snapshot in chunks, one chunk in flight. */
        SNAPSHOT
    }

    final String id;
    long matchIndex;
    long nextIndex;
    State state = State.PROBE;
    boolean probeSent;
    final Inflights inflights;
    /** Heard from since the last CheckQuorum round. */
    boolean recentActive;
    long lastContactTick;
    long lastProgressTick;
    /** Highest heartbeat round the follower answered (confirms leadership for ReadIndex). */
    long ackedRound;
    /**
     * How long the node that acknowledged {@link #ackedRound} grants no vote after receiving it, in microseconds
     * of real time (0: it does not honour leases; {@link io.raftstore.core.message.AppendEntriesResponse#leaseMicros}).
     */
    long leaseMicros;
    /** SNAPSHOT state: the snapshot being sent, the next offset, and whether a chunk is unanswered. */
    SnapshotMeta snapshot;
    long snapshotOffset;
    boolean snapshotChunkSent;
    long snapshotSentTick;
    /** The follower's incarnation as last heard (0: not heard yet, or storage without one). */
    long incarnation;
    /** Incarnations replaced by a newer one: late messages from them are ignored. */
    final Set<Long> retired = new HashSet<>();
    /** What the follower last said of itself: caught up (see {@link HardState#caughtUp()}). */
    boolean peerCaughtUp = true;
    /**
     * Not caught up and not yet confirmed: its match does not count toward commitment until it reaches
     * {@link #catchUpTo}, this leader's last index when it first heard the incarnation.
     */
    boolean recovering;
    long catchUpTo;

    Progress(String id, long nextIndex, Inflights inflights, long now) {
        this.id = id;
        this.nextIndex = nextIndex;
        this.inflights = inflights;
        this.lastContactTick = now;
        this.lastProgressTick = now;
    }

    void becomeProbe() {
        state = State.PROBE;
        probeSent = false;
        nextIndex = matchIndex + 1;
        inflights.reset();
        snapshot = null;
    }

    /**
     * Streams from the match point; the window opened {@code now} is what the "no progress for two
     * heartbeats" rule times, not the silence before it. Timing it from the last progress made (seconds
     * ago after a partition) sent the follower back to probing at the next duplicate answer, and every
     * further duplicate flipped it again, each flip sending the whole catch-up once more.
     */
    void becomeReplicate(long now) {
        state = State.REPLICATE;
        nextIndex = matchIndex + 1;
        inflights.reset();
        snapshot = null;
        lastProgressTick = now;
    }

    /**
     * A new leader's first guess, Raft's own (nextIndex = the leader's last index + 1, Figure 2): stream
     * from there at once. A follower whose log does not match rejects the first AppendEntries, and the
     * rejection turns this into probing; one that matches (the usual case, and always the case right after
     * a leadership transfer) gets the new leader's first entries without waiting a round trip for a probe.
     */
    void becomeOptimisticReplicate(long next) {
        state = State.REPLICATE;
        nextIndex = next;
        inflights.reset();
        snapshot = null;
    }

    void becomeSnapshot(SnapshotMeta meta) {
        state = State.SNAPSHOT;
        inflights.reset();
        snapshot = meta;
        snapshotOffset = 0;
        snapshotChunkSent = false;
    }

    /** Records an acknowledged match; returns true if it moved forward. */
    boolean updateMatch(long index, long now) {
        boolean moved = index > matchIndex;
        if (moved) {
            matchIndex = index;
            lastProgressTick = now;
        }
        nextIndex = Math.max(nextIndex, index + 1);
        return moved;
    }

    /** Whether the leader should hold back new AppendEntries for now. */
    boolean paused() {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflights.full();
            case SNAPSHOT -> true;
        };
    }

    @Override
    public String toString() {
        return id + "[" + state + " match=" + matchIndex + " next=" + nextIndex + "]";
    }
}
