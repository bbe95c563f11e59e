package io.raftstore.core;

import io.raftstore.core.message.AppendEntries;
import io.raftstore.core.message.AppendEntriesResponse;
import io.raftstore.core.message.InstallSnapshot;
import io.raftstore.core.message.InstallSnapshotResponse;
import io.raftstore.core.message.ReadIndexResponse;
import io.raftstore.core.message.TimeoutNow;
import io.raftstore.core.storage.StorageException;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The leader's side of Raft: replication to each follower, commitment by majority, heartbeat rounds (which
 * {@link LeaderReads} uses to confirm reads), CheckQuorum, leadership transfer and accepting proposals. Exists
 * only while its node leads.
 */
final class Replication {
    private final Raft raft;
    private final RaftLog log;
    private final RaftConfig config;
    final Map<String, Progress> progress = new TreeMap<>();
    final PendingProposals proposals = new PendingProposals();
    final LeaderReads leaderReads;
    /** The heartbeat round last sent; followers echo it, so a quorum of echoes confirms leadership. */
    private long round;
    private boolean roundWanted;
    private boolean appendWanted;
    private boolean committedInTerm;
    private int heartbeatElapsed;
    String transferee;
    private int transferElapsed;
    /**
     * A TimeoutNow went out in this term (this object lives for one term of leadership). Its target may
     * still campaign after the transfer was given up, and a transferee's vote request passes every lease,
     * so the lease no longer proves leadership: reads take a ReadIndex round until the term ends.
     */
    private boolean timeoutNowSent;

    Replication(Raft raft) {
        this.raft = raft;
        this.log = raft.log;
        this.config = raft.config;
        this.leaderReads = new LeaderReads(raft, this);
    }

    void start() {
        membershipChanged(raft.membership());
        // Entries proposed right after the election (the no-op, requests that waited for a leader) go out
        // at once instead of one probe round trip later; see Progress#becomeOptimisticReplicate.
        progress.values().forEach(p -> p.becomeOptimisticReplicate(log.lastIndex() + 1));
        leaderReads.roundSent(0);
        // A new leader cannot know what is committed until it commits an entry of its own term (5.4.2).
        append(new LogEntry(raft.term, log.lastIndex() + 1, EntryType.NOOP, 0, 0, null));
        flush();
    }

    // ---- time ---------------------------------------------------------------------------------------

    /** The driver lost time it did not tick for: see {@link LeaderReads#stalled}. */
    void stalled() {
        leaderReads.stalled(round);
    }

    void tick() {
        heartbeatElapsed++;
        raft.electionElapsed++;
        if (transferee != null && ++transferElapsed >= config.electionTicks()) {
            transferee = null; // the target did not take over in time: accept proposals again
        }
        if (config.checkQuorum() && raft.electionElapsed >= config.electionTicks()) {
            raft.electionElapsed = 0;
            if (!quorumActive()) {
                raft.stepDown(LeaderChange.Cause.LOST_QUORUM);
                return;
            }
            progress.values().forEach(p -> p.recentActive = false);
        }
        if (heartbeatElapsed >= config.heartbeatTicks()) {
            broadcastHeartbeat();
        }
    }

    private boolean quorumActive() {
        int active = 0;
        for (String voter : raft.membership().voters()) {
            Progress p = progress.get(voter);
            if (voter.equals(raft.id) || (p != null && p.recentActive)) {
                active++;
            }
        }
        return active >= raft.membership().quorum();
    }

    // ---- proposals ----------------------------------------------------------------------------------

    Proposal propose(EntryType type, byte[] data, long clientId, long sequence) {
        if (transferee != null) {
            throw new RequestRejectedException(FailureReason.TRANSFER_IN_PROGRESS,
                    "leadership is being transferred to " + transferee + "; retry shortly");
        }
        LogEntry entry = new LogEntry(raft.term, log.lastIndex() + 1, type, clientId, sequence, data);
        long inFlight = proposals.uncommittedBytes();
        if (inFlight > 0 && inFlight + entry.sizeInBytes() > config.maxPendingProposalBytes()) {
            throw new RequestRejectedException(FailureReason.REJECTED, "the leader holds " + inFlight
                    + " bytes of uncommitted proposals (limit " + config.maxPendingProposalBytes()
                    + "); retry when replication catches up");
        }
        append(entry);
        proposals.add(entry.index(), entry.term(), raft.now + config.requestTimeoutTicks(), entry.sizeInBytes());
        return new Proposal(entry.index(), entry.term());
    }

    Proposal proposeMembership(ConfigChange change) {
        if (!committedInTerm || raft.memberships.currentIndex() > log.committed()) {
            throw new RequestRejectedException(FailureReason.REJECTED,
                    "another membership change (or the new leader's first entry) is not committed yet; retry after it commits");
        }
        Membership next;
        try {
            next = raft.membership().apply(change);
        } catch (IllegalArgumentException e) {
            throw new RequestRejectedException(FailureReason.REJECTED, "invalid membership change: " + e.getMessage());
        }
        return propose(EntryType.MEMBERSHIP, next.toBytes(), 0, 0);
    }

    private void append(LogEntry entry) {
        log.append(List.of(entry));
        appendWanted = true; // sent in flush(): every proposal of one event-loop turn shares the messages
    }

    /** Sends what accumulated during this turn: new entries, and a heartbeat round for waiting reads. */
    void flush() {
        if (appendWanted) {
            appendWanted = false;
            progress.values().forEach(this::sendAppends);
        }
        if (roundWanted) {
            broadcastHeartbeat();
        }
    }

    boolean hasWork() {
        return appendWanted || roundWanted;
    }

    // ---- replication --------------------------------------------------------------------------------

    private void sendAppends(Progress pr) {
        while (sendAppend(pr) && pr.state == Progress.State.REPLICATE && pr.nextIndex <= log.lastIndex()) {
            // pipelining: keep sending until the window is full or the follower has everything
        }
    }

    /** Sends one AppendEntries (or snapshot chunk) if the follower's state allows; true if sent. */
    private boolean sendAppend(Progress pr) {
        if (pr.state == Progress.State.SNAPSHOT) {
            return sendSnapshotChunk(pr);
        }
        if (pr.paused()) {
            return false;
        }
        long prev = pr.nextIndex - 1;
        if (prev < log.firstIndex() - 1) {
            return startSnapshot(pr);
        }
        List<LogEntry> entries = log.entries(pr.nextIndex, log.lastIndex(), config.maxBatchBytes());
        if (entries.isEmpty() && pr.state == Progress.State.REPLICATE) {
            return false;
        }
        raft.send(new AppendEntries(raft.id, pr.id, raft.term, prev, log.term(prev), entries, log.committed(), round,
                confirmation(pr)));
        if (pr.state == Progress.State.PROBE) {
            pr.probeSent = true;
        } else if (!entries.isEmpty()) {
            long last = entries.get(entries.size() - 1).index();
            long bytes = 0;
            for (LogEntry e : entries) {
                bytes += e.sizeInBytes();
            }
            pr.inflights.add(last, bytes);
            pr.nextIndex = last + 1;
        }
        return true;
    }

    /** An empty AppendEntries at the follower's match point: always accepted, carries commit and round. */
    private void sendHeartbeat(Progress pr) {
        long prev = pr.matchIndex;
        long prevTerm = log.termOrNone(prev);
        if (prevTerm < 0) {
            prev = 0;
            prevTerm = 0;
        }
        raft.send(new AppendEntries(raft.id, pr.id, raft.term, prev, prevTerm, List.of(), log.committed(), round,
                confirmation(pr)));
    }

    /** The follower's incarnation while it must still learn that this leader confirmed it caught up, else 0. */
    private static long confirmation(Progress pr) {
        return !pr.recovering && !pr.peerCaughtUp ? pr.incarnation : 0;
    }

    /**
     * Checks who answered (issue 12, finding 1). A new incarnation is a follower whose data was wiped: what
     * this leader knew of its log is void, so its progress starts over; one that says it is not caught up is
     * not counted toward commitment until it holds this leader's log as of now, which includes every entry
     * it may have acknowledged before (and later acknowledgements from its old incarnation are ignored).
     *
     * @return false for a message from an incarnation already replaced: ignore it
     */
    private boolean heardFrom(Progress pr, long incarnation, boolean caughtUp) {
        if (incarnation == 0) {
            return true; // a node whose storage has no incarnation: as before
        }
        // The current incarnation is never among the retired ones (a retired one cannot come back below), so
        // the usual answer skips the set, whose lookup boxed a Long on every acknowledgement.
        if (incarnation != pr.incarnation && pr.retired.contains(incarnation)) {
            return false;
        }
        if (incarnation != pr.incarnation) {
            if (pr.incarnation != 0) {
                pr.retired.add(pr.incarnation);
                pr.matchIndex = 0;
                pr.becomeProbe();
                pr.ackedRound = 0;
            }
            pr.incarnation = incarnation;
            pr.recovering = !caughtUp;
            pr.catchUpTo = log.lastIndex();
        }
        pr.peerCaughtUp = caughtUp;
        if (caughtUp) {
            pr.recovering = false;
        }
        return true;
    }

    /** A recovering follower that now holds {@link Progress#catchUpTo} is confirmed and counts again. */
    private void maybeConfirm(Progress pr) {
        if (pr.recovering && pr.matchIndex >= pr.catchUpTo) {
            pr.recovering = false;
            maybeCommit();
        }
    }

    private void broadcastHeartbeat() {
        heartbeatElapsed = 0;
        roundWanted = false;
        round++;
        leaderReads.roundSent(round);
        for (Progress pr : progress.values()) {
            if (pr.state == Progress.State.SNAPSHOT && pr.snapshotChunkSent
                    && raft.now - pr.snapshotSentTick >= config.electionTicks()) {
                pr.snapshotChunkSent = false; // the chunk or its answer was lost: send it again
                sendSnapshotChunk(pr);
            }
            sendHeartbeat(pr);
        }
        leaderReads.confirm();
    }

    void handleAppendResponse(AppendEntriesResponse r) {
        Progress pr = progress.get(r.from());
        boolean knewCaughtUp = pr != null && pr.peerCaughtUp;
        if (pr == null || !heardFrom(pr, r.incarnation(), r.caughtUp())) {
            return;
        }
        pr.recentActive = true;
        pr.lastContactTick = raft.now;
        if (r.round() > pr.ackedRound) {
            pr.ackedRound = r.round();
            pr.leaseMicros = r.leaseMicros();
            leaderReads.confirm();
        }
        if (!r.success()) {
            handleRejection(pr, r);
            return;
        }
        pr.inflights.freeTo(r.matchIndex());
        boolean moved = pr.updateMatch(r.matchIndex(), raft.now);
        if (pr.state == Progress.State.PROBE) {
            pr.becomeReplicate(raft.now); // any success proves where the follower's log matches ours
        }
        maybeConfirm(pr);
        if (raft.leader != this) {
            return;
        }
        if (moved || !knewCaughtUp && pr.peerCaughtUp) { // a leaving leader counts a voter only from then on
            maybeCommit();
            if (raft.leader != this) {
                return;
            }
            if (pr.id.equals(transferee) && pr.matchIndex == log.lastIndex()) {
                sendTimeoutNow(pr.id);
            }
        } else if (pr.state == Progress.State.REPLICATE && !pr.inflights.isEmpty()
                && raft.now - pr.lastProgressTick >= 2L * config.heartbeatTicks()) {
            pr.becomeProbe(); // no progress for two heartbeats with messages in flight: some were lost
        }
        sendAppends(pr);
    }

    private void handleRejection(Progress pr, AppendEntriesResponse r) {
        long rejected = r.matchIndex();
        if (rejected <= pr.matchIndex || pr.state == Progress.State.SNAPSHOT
                || (pr.state == Progress.State.PROBE && rejected != pr.nextIndex - 1)) {
            return; // an answer to an older message
        }
        long next = r.conflictIndex();
        if (r.conflictTerm() >= 0) {
            long j = log.lastIndexWithTermAtMost(rejected, r.conflictTerm());
            if (j >= log.firstIndex() && log.term(j) == r.conflictTerm()) {
                next = j + 1;
            }
        }
        pr.becomeProbe();
        pr.nextIndex = Math.max(pr.matchIndex + 1, Math.min(next, rejected));
        sendAppends(pr);
    }

    /** Commits the highest index a majority of voters hold, if it belongs to this term (5.4.2). */
    void maybeCommit() {
        Membership m = raft.membership();
        // A leader removing itself counts only voters that know they were confirmed (they said so): once it
        // leaves, its last messages may never arrive, and a wiped voter that never learned it may vote again
        // would keep the voters left behind from ever electing a leader.
        boolean leaving = !m.isVoter(raft.id);
        long[] matches = new long[m.voters().size()];
        int i = 0;
        for (String v : m.voters()) {
            matches[i++] = v.equals(raft.id) ? log.lastDurableIndex() : leaving ? confirmedMatchOf(v) : matchOf(v);
        }
        long candidate = quorumValue(matches, m.quorum());
        if (candidate <= log.committed() || log.termOrNone(candidate) != raft.term) {
            return;
        }
        log.commitTo(candidate);
        proposals.committedTo(candidate);
        if (!committedInTerm) {
            committedInTerm = true;
            raft.reads.takeDeferred().forEach(d -> leaderReads.read(d.origin(), d.requestId()));
        }
        if (!m.isVoter(raft.id) && log.committed() >= raft.memberships.currentIndex()) {
            raft.stepDown(LeaderChange.Cause.REMOVED); // our own removal is committed (dissertation 4.2.2)
            return;
        }
        for (Progress pr : progress.values()) {
            if (!sendAppend(pr) && pr.state == Progress.State.REPLICATE) {
                sendHeartbeat(pr); // let followers learn the new commit index promptly
            }
        }
    }

    /** The largest value that at least {@code quorum} of the given values reach. */
    static long quorumValue(long[] values, int quorum) {
        Arrays.sort(values);
        return values[values.length - quorum];
    }

    private long matchOf(String id) {
        Progress p = progress.get(id);
        return p == null || p.recovering ? 0 : p.matchIndex;
    }

    /** As {@link #matchOf}, and 0 while the follower has not yet said it knows it is caught up. */
    private long confirmedMatchOf(String id) {
        Progress p = progress.get(id);
        return p == null || p.incarnation != 0 && !p.peerCaughtUp ? 0 : matchOf(id);
    }

    // ---- snapshots ----------------------------------------------------------------------------------

    private boolean startSnapshot(Progress pr) {
        SnapshotMeta meta = raft.storage.snapshots().latest().orElseThrow(() -> new IllegalStateException(
                "the log is compacted but no snapshot exists to send to " + pr.id));
        pr.becomeSnapshot(meta);
        return sendSnapshotChunk(pr);
    }

    private boolean sendSnapshotChunk(Progress pr) {
        if (pr.snapshotChunkSent) {
            return false;
        }
        byte[] data;
        try {
            data = raft.storage.snapshots().read(pr.snapshot, pr.snapshotOffset, config.snapshotChunkBytes());
        } catch (StorageException replaced) {
            pr.becomeSnapshot(raft.storage.snapshots().latest().orElseThrow());
            data = raft.storage.snapshots().read(pr.snapshot, 0, config.snapshotChunkBytes());
        }
        boolean done = pr.snapshotOffset + data.length >= raft.storage.snapshots().length();
        raft.send(new InstallSnapshot(raft.id, pr.id, raft.term, pr.snapshot, pr.snapshotOffset, data, done));
        pr.snapshotChunkSent = true;
        pr.snapshotSentTick = raft.now;
        return true;
    }

    void handleSnapshotResponse(InstallSnapshotResponse r) {
        Progress pr = progress.get(r.from());
        if (pr == null || !heardFrom(pr, r.incarnation(), r.caughtUp())) {
            return;
        }
        pr.recentActive = true;
        pr.lastContactTick = raft.now;
        if (r.done()) {
            if (r.snapshotIndex() > pr.matchIndex || pr.state == Progress.State.SNAPSHOT) {
                pr.updateMatch(r.snapshotIndex(), raft.now);
                pr.becomeProbe();
                maybeConfirm(pr);
                if (raft.leader != this) {
                    return;
                }
                sendAppends(pr);
            }
            return;
        }
        if (pr.state != Progress.State.SNAPSHOT || pr.snapshot.index() != r.snapshotIndex()
                || (r.nextOffset() != 0 && r.nextOffset() <= pr.snapshotOffset)) {
            return; // an answer to an older chunk
        }
        pr.snapshotOffset = r.nextOffset();
        pr.snapshotChunkSent = false;
        sendSnapshotChunk(pr);
    }

    // ---- what LeaderReads reads -------------------------------------------------------------------------

    /** The heartbeat round last sent. */
    long round() {
        return round;
    }

    /** An entry of this term is committed, so the commit index this leader knows is the cluster's (5.4.2). */
    boolean committedInTerm() {
        return committedInTerm;
    }

    /** A transfer is under way or a TimeoutNow went out in this term: a transferee's vote request passes every lease. */
    boolean transferStarted() {
        return transferee != null || timeoutNowSent;
    }

    /** Reads wait for a round: one goes out when this turn's messages do ({@link #flush}). */
    void wantRound() {
        roundWanted = true;
    }

    // ---- leadership transfer and membership -----------------------------------------------------------

    void transfer(String target) {
        Membership m = raft.membership();
        if (target == null) {
            target = progress.values().stream().filter(p -> m.isVoter(p.id) && !p.recovering)
                    .max((a, b) -> a.matchIndex != b.matchIndex ? Long.compare(a.matchIndex, b.matchIndex)
                            : b.id.compareTo(a.id))
                    .map(p -> p.id).orElseThrow(() -> new RequestRejectedException(FailureReason.REJECTED,
                            "there is no other voter to transfer leadership to"));
        }
        if (target.equals(raft.id)) {
            return;
        }
        if (!m.isVoter(target)) {
            throw new RequestRejectedException(FailureReason.REJECTED,
                    target + " is not a voter; leadership can only go to one of " + m.voters());
        }
        Progress pr = progress.get(target);
        if (pr.recovering) {
            throw new RequestRejectedException(FailureReason.REJECTED, target + " lost its data and is still"
                    + " catching up; leadership can go to it once it has");
        }
        transferee = target;
        transferElapsed = 0;
        if (pr.matchIndex == log.lastIndex()) {
            sendTimeoutNow(target);
        } else {
            if (pr.state == Progress.State.REPLICATE) {
                pr.becomeProbe(); // what is in flight may be lost; catch the target up from what it confirmed
            }
            sendAppends(pr);
        }
    }

    private void sendTimeoutNow(String target) {
        timeoutNowSent = true;
        raft.send(new TimeoutNow(raft.id, target, raft.term));
    }

    void membershipChanged(Membership m) {
        for (String member : m.all()) {
            if (!member.equals(raft.id) && !progress.containsKey(member)) {
                Progress p = new Progress(member, log.lastIndex() + 1,
                        new Inflights(config.maxInflightMessages(), config.maxInflightBytes()), raft.now);
                p.recentActive = true;
                progress.put(member, p);
                appendWanted = true;
            }
        }
        progress.keySet().removeIf(id -> !m.contains(id));
        if (transferee != null && !m.isVoter(transferee)) {
            transferee = null;
        }
    }

    /** Leadership is lost: nothing pending here can be promised any more. */
    void stepDown() {
        proposals.drain(idx -> raft.fail(idx, false, FailureReason.OUTCOME_UNKNOWN,
                "leadership was lost before the entry committed; it may or may not be applied"));
        for (Reads.Deferred d : raft.reads.clearLeaderQueues()) {
            if (d.origin().equals(raft.id)) {
                raft.reads.removeLocal(d.requestId());
                raft.fail(d.requestId(), true, FailureReason.NOT_LEADER, "leadership was lost; retry");
            } else {
                raft.send(new ReadIndexResponse(raft.id, d.origin(), raft.term, d.requestId(), -1));
            }
        }
    }

    boolean isTransferring() {
        return transferee != null;
    }
}
