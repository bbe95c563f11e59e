package io.raftstore.core;

import io.raftstore.core.message.AppendEntries;
import io.raftstore.core.message.AppendEntriesResponse;
import io.raftstore.core.message.InstallSnapshot;
import io.raftstore.core.message.InstallSnapshotResponse;
import io.raftstore.core.message.RaftMessage;
import io.raftstore.core.message.ReadIndexRequest;
import io.raftstore.core.message.ReadIndexResponse;
import io.raftstore.core.message.RequestVote;
import io.raftstore.core.message.RequestVoteResponse;
import io.raftstore.core.message.TimeoutNow;
import io.raftstore.core.storage.RaftStorage;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The protocol: terms, elections (with PreVote), the follower side of replication and snapshots, and the
 * bookkeeping shared by every role. The leader's side lives in {@link Replication}, created on election
 * and dropped on step-down, so leader-only state cannot leak into other roles.
 */
final class Raft implements RaftLog.Listener {
    final String id;
    final RaftConfig config;
    final RaftStorage storage;
    final RaftLog log;
    final MembershipLog memberships;
    final Reads reads = new Reads();
    private final FollowerReads followerReads = new FollowerReads();
    final List<RaftMessage> outbox = new ArrayList<>();
    final List<RequestFailure> failures = new ArrayList<>();
    final List<LeaderChange> leaderChanges = new ArrayList<>();
    final List<Ready.SnapshotChunk> snapshotChunks = new ArrayList<>();
    SnapshotMeta snapshotToInstall;

    private final RandomGenerator random;
    long term;
    String votedFor;
    Role role = Role.FOLLOWER;
    String leaderId;
    /** Ticks since this node started; the engine's only notion of time. */
    long now;
    int electionElapsed;
    private int randomizedElectionTimeout;
    /** The answers to this node's current (pre-)election, its own included. */
    private final VoteTally votes = new VoteTally();
    /** Non-null exactly while this node leads. */
    Replication leader;

    /** Follower side of a snapshot transfer in progress. */
    private SnapshotMeta incomingSnapshot;
    private long incomingOffset;

    /** For the failover history: the last leader announced and why the next change happens. */
    private String announcedLeader;
    private long announcedTerm = -1;
    private LeaderChange.Cause pendingCause = LeaderChange.Cause.STARTUP;
    private long transferTerm = -1;
    /** Started with a term: it may have answered a leader just before it (re)started; see {@link #inLease}. */
    private final boolean restarted;
    /** This data directory's identity (0: storage without one); see {@link HardState#incarnation()}. */
    final long incarnation;
    /** See {@link HardState#caughtUp()}: false while this node's state may be a wiped voter's. */
    boolean caughtUp;
    /**
     * {@link #votedFor} is an empty-log candidate this node granted while not caught up: having won, it won an
     * election every voter granted with every voter's log empty. Not persisted: after a restart this node waits
     * for the leader to confirm it instead.
     */
    private boolean votedForEmptyLogCandidate;

    Raft(RaftConfig config, RaftStorage storage, long appliedIndex, RandomGenerator random) {
        this.id = config.nodeId();
        this.config = config;
        this.storage = storage;
        this.random = random;
        HardState hs = storage.hardState().load();
        var snapshot = storage.snapshots().latest();
        if (snapshot.isPresent() && snapshot.get().index() > storage.log().lastIndex()) {
            throw new IllegalStateException("snapshot " + snapshot.get().index() + " is ahead of the log (last "
                    + storage.log().lastIndex() + "): finish installing it (restore the state machine, reset the"
                    + " log) before starting the node");
        }
        this.log = new RaftLog(storage.log(), hs.commitIndex(), appliedIndex);
        this.memberships = snapshot.map(s -> new MembershipLog(s.membership(), s.index()))
                .orElseGet(() -> new MembershipLog(config.initialMembership(), 0));
        replayMemberships();
        log.setListener(this);
        this.term = hs.term();
        this.restarted = hs.term() > 0;
        this.votedFor = hs.votedFor();
        this.incarnation = hs.incarnation();
        this.caughtUp = hs.caughtUp();
        becomeFollower(term, null);
    }

    private void replayMemberships() {
        long from = log.firstIndex();
        while (from <= log.lastIndex()) {
            List<LogEntry> batch = log.entries(from, log.lastIndex(), 4L << 20);
            batch.forEach(memberships::appended);
            from = batch.get(batch.size() - 1).index() + 1;
        }
    }

    Membership membership() {
        return memberships.current();
    }

    /**
     * Whether this node may campaign. One that is not caught up may have lost entries it acknowledged (its
     * data was wiped): it campaigns only with an empty log, as in a new cluster's first election, which
     * then needs every voter (see {@link #votesNeeded}).
     */
    boolean promotable() {
        return membership().isVoter(id) && log.pendingSnapshot() == null && (caughtUp || log.lastIndex() == 0);
    }

    /**
     * Plain grants that elect this node: a quorum, or every voter for a node that is not caught up (such a
     * candidate has an empty log, see {@link #promotable}, and may itself be a wiped voter).
     *
     * <p>Grants from voters that are not caught up count only when every voter granted ({@link VoteTally}).
     * That is safe as long as no more than a minority of the voters lost their data: every committed entry was
     * acknowledged by a quorum, so some voter that still holds it granted, and its log was no more up to date
     * than this candidate's, which therefore holds the entry (Raft's election restriction). And any vote a wiped
     * voter forgot it cast in this term went to a candidate that voted for itself and so refused this one.
     */
    private int votesNeeded() {
        return caughtUp ? membership().quorum() : membership().voters().size();
    }

    void send(RaftMessage m) {
        outbox.add(m);
    }

    void fail(long requestId, boolean read, FailureReason reason, String detail) {
        failures.add(new RequestFailure(requestId, read, reason, leaderId, detail));
    }

    // ---- time -------------------------------------------------------------------------------------

    /** See {@link RaftNode#stalled()}. */
    void stalled() {
        if (leader != null) {
            leader.stalled();
        }
    }

    void tick() {
        now++;
        if (leader != null) {
            leader.tick();
        } else {
            electionElapsed++;
            if (promotable() && electionElapsed >= randomizedElectionTimeout) {
                electionElapsed = 0;
                campaign(false);
            }
        }
        String why = "no quorum answered within " + config.requestTimeoutTicks() + " ticks";
        if (leader != null) {
            leader.proposals.expire(now, idx -> fail(idx, false, FailureReason.TIMEOUT, why));
        }
        reads.expire(now, idx -> fail(idx, true, FailureReason.TIMEOUT, why));
        followerReads.prune(reads::isLocalPending);
    }

    private void resetElectionTimer() {
        electionElapsed = 0;
        randomizedElectionTimeout = config.electionTicks() + random.nextInt(config.electionTicks());
    }

    /**
     * A failure detector outside Raft (the transport seeing a process's connections close) reports
     * {@code peer} gone. A follower whose leader that was forgets it, so its lease ends and it grants
     * (pre-)votes at once, and campaigns within a few ticks instead of a whole election timeout. The
     * survivors all see the loss at once; staggering them by their rank among the remaining voters (two
     * ticks apart) lets the first one win before the next starts, where random delays would often split
     * the vote. A first one with a shorter log loses only a pre-vote, and the next one goes. Wrongly
     * reported, the loss costs little: the others still hold the lease and refuse the pre-vote, and the
     * next heartbeat restores the leader.
     */
    void peerLost(String peer) {
        if (!config.peerLossHints() || leader != null || leaderId == null || !leaderId.equals(peer)) {
            return;
        }
        setLeader(null);
        List<String> survivors = membership().voters().stream().filter(v -> !v.equals(peer)).sorted().toList();
        int delay = Math.min(1 + 2 * Math.max(0, survivors.indexOf(id)), config.electionTicks() - 1);
        electionElapsed = Math.max(electionElapsed, randomizedElectionTimeout - delay);
    }

    /**
     * A leader was heard from within the minimum election timeout (dissertation 4.2.3, leader stickiness),
     * or may have been: a node that restarted within the last election timeout knows no leader, but its
     * answer to a heartbeat just before the crash may still count toward a leader's lease, so it must not
     * help elect another one yet (otherwise that leader serves lease reads that miss the new leader's
     * writes). A node that never had a term never answered a leader (its term is persisted before any
     * answer goes out), so a new cluster elects its first leader without this wait.
     */
    boolean inLease() {
        if (leaderId == null) {
            return restarted && now < config.electionTicks() && config.leaseReads();
        }
        return config.checkQuorum() && electionElapsed < config.electionTicks();
    }

    // ---- role changes -------------------------------------------------------------------------------

    void becomeFollower(long newTerm, String newLeader) {
        boolean termChanged = newTerm > term;
        if (termChanged) {
            term = newTerm;
            votedFor = null;
        }
        role = membership().isLearner(id) ? Role.LEARNER : Role.FOLLOWER;
        Replication old = leader;
        leader = null;
        if (old != null && old.isTransferring() && pendingCause == null) {
            pendingCause = LeaderChange.Cause.TRANSFER;
        }
        setLeader(newLeader);
        resetElectionTimer();
        if (old != null) {
            old.stepDown();
        }
        if (termChanged || old != null) {
            failReadsAwaitingIndex("leadership changed before the read was confirmed; retry");
        }
    }

    private void failReadsAwaitingIndex(String detail) {
        followerReads.clear();
        for (long readId : reads.localWithoutIndex()) {
            reads.removeLocal(readId);
            fail(readId, true, FailureReason.NOT_LEADER, detail);
        }
    }

    /** Steps down as leader with a known reason, recorded in the failover history. */
    void stepDown(LeaderChange.Cause cause) {
        pendingCause = cause;
        becomeFollower(term, null);
    }

    private void campaign(boolean transfer) {
        if (config.preVote() && !transfer) {
            role = Role.PRE_CANDIDATE;
            setLeader(null);
            requestVotes(term + 1, true, false);
        } else {
            becomeCandidate(transfer);
        }
    }

    private void becomeCandidate(boolean transfer) {
        term++;
        votedFor = id;
        role = Role.CANDIDATE;
        setLeader(null);
        resetElectionTimer();
        if (transfer) {
            transferTerm = term;
        }
        requestVotes(term, false, transfer);
    }

    private void requestVotes(long electionTerm, boolean preVote, boolean transfer) {
        votes.start(id);
        for (String voter : membership().voters()) {
            if (!voter.equals(id)) {
                send(new RequestVote(id, voter, electionTerm, log.lastIndex(), log.lastTerm(), preVote, transfer));
            }
        }
        countVotes();
    }

    private void countVotes() {
        VoteTally.Outcome outcome = votes.outcome(membership(), votesNeeded());
        if (outcome == VoteTally.Outcome.WON) {
            if (role == Role.PRE_CANDIDATE) {
                becomeCandidate(false);
            } else {
                becomeLeader();
            }
        } else if (outcome == VoteTally.Outcome.LOST) {
            becomeFollower(term, null); // neither a quorum of plain grants nor every voter any more
        }
    }

    private void becomeLeader() {
        role = Role.LEADER;
        caughtUp = true; // elected: its log holds every committed entry
        leader = new Replication(this);
        setLeader(id);
        leader.start();
    }

    private void setLeader(String newLeader) {
        leaderId = newLeader;
        if (newLeader != null && (!newLeader.equals(announcedLeader) || term != announcedTerm)) {
            LeaderChange.Cause cause = pendingCause != null ? pendingCause
                    : transferTerm == term ? LeaderChange.Cause.TRANSFER : LeaderChange.Cause.ELECTION_TIMEOUT;
            leaderChanges.add(new LeaderChange(term, announcedLeader, newLeader, cause));
            announcedLeader = newLeader;
            announcedTerm = term;
            pendingCause = null;
        }
    }

    // ---- messages -----------------------------------------------------------------------------------

    void step(RaftMessage m) {
        if (!id.equals(m.to())) {
            return;
        }
        if (m.term() > term) {
            if (m instanceof RequestVote rv) {
                if (!rv.transfer() && inLease()) {
                    return; // a leader is (or may be) alive: a disruptive candidate must not depose it
                }
                if (!rv.preVote()) {
                    becomeFollower(m.term(), null);
                }
            } else if (!(m instanceof RequestVoteResponse r && r.preVote() && r.granted())) {
                boolean fromLeader = m instanceof AppendEntries || m instanceof InstallSnapshot;
                becomeFollower(m.term(), fromLeader ? m.from() : null);
            }
        } else if (m.term() < term) {
            rejectStale(m);
            return;
        }
        if (m instanceof RequestVote rv) {
            handleRequestVote(rv);
        } else if (m instanceof RequestVoteResponse r) {
            handleVoteResponse(r);
        } else if (m instanceof AppendEntries ae) {
            handleAppendEntries(ae);
        } else if (m instanceof AppendEntriesResponse r) {
            if (leader != null) {
                leader.handleAppendResponse(r);
            }
        } else if (m instanceof InstallSnapshot is) {
            handleInstallSnapshot(is);
        } else if (m instanceof InstallSnapshotResponse r) {
            if (leader != null) {
                leader.handleSnapshotResponse(r);
            }
        } else if (m instanceof TimeoutNow) {
            if (promotable() && leader == null) {
                campaign(true);
            }
        } else if (m instanceof ReadIndexRequest r) {
            if (leader != null) {
                leader.leaderReads.read(r.from(), r.requestId());
            } else {
                send(new ReadIndexResponse(id, r.from(), term, r.requestId(), -1));
            }
        } else if (m instanceof ReadIndexResponse r) {
            handleReadIndexResponse(r);
        }
    }

    /** Tells a node from an older term about the current one, so a deposed leader steps down at once. */
    private void rejectStale(RaftMessage m) {
        if (m instanceof AppendEntries || m instanceof InstallSnapshot) {
            send(new AppendEntriesResponse(id, m.from(), term, false, 0, -1, 0, 0, incarnation, caughtUp,
                    config.leaseMicros()));
        } else if (m instanceof RequestVote rv && rv.preVote()) {
            send(new RequestVoteResponse(id, m.from(), term, false, true));
        }
    }

    private void handleRequestVote(RequestVote rv) {
        boolean canVote = rv.from().equals(votedFor) || (votedFor == null && leaderId == null)
                || (rv.preVote() && rv.term() > term);
        // A node that is not caught up may be a wiped voter: it forgot the entries it acknowledged and the
        // votes it cast, so its grant counts only toward an election every voter grants (see votesNeeded).
        boolean grant = canVote && log.isUpToDate(rv.lastLogIndex(), rv.lastLogTerm());
        if (grant && !rv.preVote()) {
            votedFor = rv.from();
            votedForEmptyLogCandidate = !caughtUp && rv.lastLogIndex() == 0;
            electionElapsed = 0;
            if (rv.transfer()) {
                transferTerm = term;
            }
        }
        send(new RequestVoteResponse(id, rv.from(), grant && rv.preVote() ? rv.term() : term, grant, rv.preVote(),
                grant && !caughtUp));
    }

    private void handleVoteResponse(RequestVoteResponse r) {
        boolean expected = r.preVote()
                ? role == Role.PRE_CANDIDATE && (!r.granted() || r.term() == term + 1)
                : role == Role.CANDIDATE && r.term() == term;
        if (expected) {
            votes.record(r);
            countVotes();
        }
    }

    /** A message from the current term's leader: follow it. */
    private void followLeader(String from) {
        if (role != Role.FOLLOWER && role != Role.LEARNER || !from.equals(leaderId)) {
            becomeFollower(term, from);
        }
        electionElapsed = 0;
    }

    private void handleAppendEntries(AppendEntries ae) {
        followLeader(ae.from());
        if (!caughtUp && (ae.confirmedIncarnation() == incarnation
                || votedForEmptyLogCandidate && ae.from().equals(votedFor))) {
            // The leader gave us everything we may have acknowledged before, or it is the empty-log candidate
            // we voted for while not caught up, which therefore won a first election with every voter's log
            // empty. Persisted with this Ready, before the answer goes out.
            caughtUp = true;
        }
        long prev = ae.prevLogIndex();
        long prevTerm = ae.prevLogTerm();
        List<LogEntry> entries = ae.entries();
        if (prev < log.committed()) {
            // Committed entries already match the leader's log; only what follows needs checking.
            int skip = (int) Math.min(entries.size(), log.committed() - prev);
            entries = entries.subList(skip, entries.size());
            prev = log.committed();
            prevTerm = log.term(prev);
        }
        long lastNew = log.maybeAppend(prev, prevTerm, ae.leaderCommit(), entries);
        if (lastNew >= 0) {
            send(new AppendEntriesResponse(id, ae.from(), term, true, lastNew, -1, 0, ae.round(), incarnation, caughtUp,
                    config.leaseMicros()));
            return;
        }
        long conflictTerm = prev > log.lastIndex() ? -1 : log.termOrNone(prev);
        long conflictIndex = conflictTerm < 0 ? log.lastIndex() + 1 : log.firstIndexOfTerm(prev, conflictTerm);
        send(new AppendEntriesResponse(id, ae.from(), term, false, prev, conflictTerm, conflictIndex, ae.round(),
                incarnation, caughtUp, config.leaseMicros()));
    }

    private void handleInstallSnapshot(InstallSnapshot is) {
        followLeader(is.from());
        SnapshotMeta meta = is.meta();
        if (meta.index() <= log.committed()) {
            respondSnapshot(is, 0, true);
            return;
        }
        if (is.offset() == 0) {
            if (log.matchTerm(meta.index(), meta.term())) {
                log.commitTo(meta.index()); // we already hold that prefix: keep our log
                respondSnapshot(is, 0, true);
                return;
            }
            incomingSnapshot = meta;
            incomingOffset = 0;
        }
        if (!meta.equals(incomingSnapshot) || is.offset() != incomingOffset) {
            respondSnapshot(is, meta.equals(incomingSnapshot) ? incomingOffset : 0, false);
            return;
        }
        snapshotChunks.add(new Ready.SnapshotChunk(meta, is.offset(), is.data(), is.done()));
        incomingOffset += is.data().length;
        if (is.done()) {
            incomingSnapshot = null;
            log.restore(meta);
            memberships.restore(meta);
            membershipChanged();
            snapshotToInstall = meta;
            respondSnapshot(is, 0, true);
        } else {
            respondSnapshot(is, incomingOffset, false);
        }
    }

    private void respondSnapshot(InstallSnapshot is, long nextOffset, boolean done) {
        send(new InstallSnapshotResponse(id, is.from(), term, is.meta().index(), nextOffset, done, incarnation, caughtUp));
    }

    private void handleReadIndexResponse(ReadIndexResponse r) {
        for (long requestId : followerReads.answered(r.requestId())) {
            if (!reads.isLocalPending(requestId)) {
                continue;
            }
            if (r.readIndex() < 0) {
                reads.removeLocal(requestId);
                fail(requestId, true, FailureReason.NOT_LEADER, r.from() + " could not confirm its leadership; retry");
            } else {
                reads.indexKnown(requestId, r.readIndex());
            }
        }
    }

    boolean hasUnsentFollowerReads() {
        return followerReads.hasUnsent();
    }

    /**
     * Sends one read-index request for every read queued since the last Ready (see {@link FollowerReads}), or,
     * when leadership moved meanwhile, serves them as a leader would or fails them as {@link #read} does.
     */
    void flushFollowerReads() {
        if (!followerReads.hasUnsent()) {
            return;
        }
        List<Long> batch = followerReads.takeUnsent(reads::isLocalPending);
        if (batch.isEmpty()) {
            return;
        }
        if (leader != null) {
            batch.forEach(r -> leader.leaderReads.localRead(r, false));
        } else if (leaderId != null) {
            followerReads.asked(batch);
            send(new ReadIndexRequest(id, leaderId, term, batch.get(0)));
        } else {
            for (long r : batch) {
                reads.removeLocal(r);
                fail(r, true, FailureReason.NOT_LEADER, "no leader is known yet; retry shortly");
            }
        }
    }

    // ---- local requests -----------------------------------------------------------------------------

    long leaseTicksLeft() {
        return leader == null ? 0 : leader.leaderReads.leaseTicksLeft();
    }

    void read(long requestId, ReadConsistency consistency) {
        if (!reads.addLocal(requestId, now + config.requestTimeoutTicks())) {
            throw new IllegalArgumentException("read request id " + requestId + " is already pending");
        }
        if (consistency == ReadConsistency.STALE) {
            reads.indexKnown(requestId, log.applied());
        } else if (leader != null) {
            leader.leaderReads.localRead(requestId, consistency == ReadConsistency.LEASE);
        } else if (leaderId != null) {
            followerReads.add(requestId); // asked for with the others of this Ready (flushFollowerReads)
        } else {
            reads.removeLocal(requestId);
            fail(requestId, true, FailureReason.NOT_LEADER, "no leader is known yet; retry shortly");
        }
    }

    Replication requireLeader() {
        if (leader == null) {
            throw new NotLeaderException(id, leaderId);
        }
        return leader;
    }

    // ---- log listener -------------------------------------------------------------------------------

    @Override
    public void appended(LogEntry entry) {
        if (entry.type() == EntryType.MEMBERSHIP) {
            memberships.appended(entry);
            membershipChanged();
        }
    }

    @Override
    public void truncatedFrom(long index) {
        if (memberships.currentIndex() >= index) {
            memberships.truncateFrom(index);
            membershipChanged();
        }
    }

    private void membershipChanged() {
        Membership m = membership();
        if (leader != null) {
            leader.membershipChanged(m);
        } else if (role == Role.FOLLOWER || role == Role.LEARNER) {
            role = m.isLearner(id) ? Role.LEARNER : Role.FOLLOWER;
        }
    }
}
