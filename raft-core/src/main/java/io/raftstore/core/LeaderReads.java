package io.raftstore.core;

import io.raftstore.core.message.ReadIndexResponse;

import java.util.TreeMap;

/**
 * How a leader confirms reads during one term, beside the {@link Replication} that sends its heartbeat rounds and
 * counts their answers ({@link Progress#ackedRound}):
 * <ul>
 *   <li>ReadIndex (dissertation 6.4): a read notes the commit index, then waits for a quorum to answer a round
 *       sent after it arrived; one round confirms every read queued before it ({@link Reads}).</li>
 *   <li>The lease (6.4.1, with {@code leaseReads} on): followers ignore candidates for an election timeout after
 *       hearing from the leader, so while a quorum answered a round sent recently enough, a read needs no round.</li>
 * </ul>
 * Lives and dies with its {@link Replication}: one term of leadership.
 */
final class LeaderReads {

    /** How many rounds' send ticks are kept: answers to older rounds no longer date a usable lease anyway. */
    private static final int ROUNDS_KEPT = 1024;

    private final Raft raft;
    private final Replication replication;
    /** The tick each recent round went out at: a quorum's answers to a round date the lease from then. */
    private final TreeMap<Long, Long> roundSentTick = new TreeMap<>();
    /**
     * The last round sent before the driver reported a stall ({@link #stalled}); answers to it and earlier rounds
     * no longer count for the lease.
     */
    private long roundBeforeStall = -1;

    LeaderReads(Raft raft, Replication replication) {
        this.raft = raft;
        this.replication = replication;
    }

    /** Round {@code round} goes out now (round 0: the term began). */
    void roundSent(long round) {
        roundSentTick.put(round, raft.now);
        while (roundSentTick.size() > ROUNDS_KEPT) {
            roundSentTick.pollFirstEntry();
        }
    }

    /**
     * The driver lost time it did not tick for (the process was paused): a round answered before the pause was
     * sent longer ago than this node's ticks say, and followers may have elected another leader meanwhile, so
     * the lease rests only on rounds sent after {@code lastRound}.
     */
    void stalled(long lastRound) {
        roundBeforeStall = lastRound;
    }

    /** This node's own read: from the lease when asked and it holds, else through a round. */
    void localRead(long requestId, boolean lease) {
        if (lease && leaseTicksLeft() > 0) {
            raft.reads.indexKnown(requestId, raft.log.committed());
        } else {
            read(raft.id, requestId);
        }
    }

    /**
     * How many more ticks this leader may serve reads from its lease at the commit index it knows (0: not now).
     * A lease read needs the commit index of this term (5.4.2), and no transfer under way or done: a
     * transferee's vote request passes every lease.
     */
    long leaseTicksLeft() {
        if (!replication.committedInTerm() || replication.transferStarted() || !raft.config.leaseReads()) {
            return 0;
        }
        return Math.max(0, leaseEnd() - raft.now);
    }

    /** ReadIndex (dissertation 6.4): remember the commit index, then confirm leadership with a round. */
    void read(String origin, long requestId) {
        if (!replication.committedInTerm()) {
            raft.reads.defer(new Reads.Deferred(origin, requestId));
            return;
        }
        raft.reads.enqueue(new Reads.Confirming(origin, requestId, raft.log.committed(), replication.round() + 1));
        replication.wantRound();
    }

    /** Delivers the read index of every read whose round a quorum has answered. */
    void confirm() {
        if (!raft.reads.hasConfirming()) {
            return;
        }
        Membership m = raft.membership();
        long[] acked = new long[m.voters().size()];
        int i = 0;
        for (String v : m.voters()) {
            Progress p = replication.progress.get(v);
            acked[i++] = v.equals(raft.id) ? replication.round() : p == null ? 0 : p.ackedRound;
        }
        long confirmed = Replication.quorumValue(acked, m.quorum());
        for (Reads.Confirming c : raft.reads.takeConfirmed(confirmed)) {
            deliverReadIndex(c.origin(), c.requestId(), c.readIndex());
        }
    }

    private void deliverReadIndex(String origin, long requestId, long readIndex) {
        if (origin.equals(raft.id)) {
            raft.reads.indexKnown(requestId, readIndex);
        } else {
            raft.send(new ReadIndexResponse(raft.id, origin, raft.term, requestId, readIndex));
        }
    }

    /**
     * Lease (dissertation 6.4.1): a follower ignores candidates for a while after hearing from us, and says in
     * each answer for how long in real time ({@link Progress#leaseMicros}), so once a quorum answered rounds we
     * stay leader until the earliest of those promises runs out for a quorum. Each promise is counted from the
     * tick its round went out, read in our ticks and cut short by {@link #leaseTicksCovered} for ticks that are
     * late and clocks that drift. Each follower's own promise counts, not our election timeout: nodes may differ
     * in election timeout and tick (halfway through a rolling restart that changes them), and a follower with a
     * shorter timeout votes sooner than ours would say. Answers the tick at which the lease ends (far in the past
     * when no quorum holds one).
     */
    private long leaseEnd() {
        Membership m = raft.membership();
        long[] ends = new long[m.voters().size()];
        int i = 0;
        for (String v : m.voters()) {
            if (v.equals(raft.id)) {
                ends[i++] = raft.now + leaseTicksCovered(raft.config.leaseMicros(), raft.config.tickMicros());
                continue;
            }
            Progress p = replication.progress.get(v);
            // A follower that may vote early (peer-loss hints: its setting differs from ours) holds up no lease.
            Long sent = p == null || p.ackedRound <= roundBeforeStall || p.leaseMicros == 0 ? null
                    : roundSentTick.get(p.ackedRound);
            ends[i++] = sent == null ? Long.MIN_VALUE / 2 : sent + leaseTicksCovered(p.leaseMicros, raft.config.tickMicros());
        }
        return Replication.quorumValue(ends, m.quorum());
    }

    /**
     * How many of our ticks after a round's send tick an answer promising {@code leaseMicros} of real time
     * covers. The promise already leaves out the follower's own late ticks ({@link RaftConfig#leaseMicros}); on
     * this leader the round may have gone out up to a tick after the tick it is counted from and the current
     * tick may be one late, so 2 ticks come off, and a tenth of the follower's timeout more for the clocks'
     * rates drifting apart. With equal settings on both sides that is {@code electionTicks - 4 -
     * max(1, electionTicks / 10)}.
     */
    static long leaseTicksCovered(long leaseMicros, int tickMicros) {
        long promised = leaseMicros / tickMicros;
        long timeout = promised + 2; // the follower's election timeout, in our ticks
        return promised - 2 - Math.max(1, timeout / 10);
    }
}
