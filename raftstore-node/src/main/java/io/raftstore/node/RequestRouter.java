package io.raftstore.node;

import io.raftstore.core.ConfigChange;
import io.raftstore.core.FailureReason;
import io.raftstore.core.LogEntry;
import io.raftstore.core.NotLeaderException;
import io.raftstore.core.Proposal;
import io.raftstore.core.RaftNode;
import io.raftstore.core.ReadConsistency;
import io.raftstore.core.ReadState;
import io.raftstore.core.RequestFailure;
import io.raftstore.core.RequestRejectedException;
import io.raftstore.transport.Frame;
import io.raftstore.transport.Transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Where each local request goes and what becomes of it: proposed here when this node leads, forwarded to
 * the leader otherwise, parked while no leader is known, and failed as unavailable at its deadline. Every
 * method runs on the event-loop thread.
 *
 * <p>A request is retried only while it certainly has not been written (the engine said "not leader" or
 * "transfer in progress", or nobody could be asked). A forwarded write whose leader was replaced or lost
 * before answering is retried only when it carries a client session, which makes the retry exactly-once;
 * without one it waits a short grace for the old leader's definite answer, then fails as of unknown outcome.
 * Once an attempt went unanswered, no later failure reports the write as not written.
 */
final class RequestRouter {

    private final String selfId;
    private final long replacedLeaderGraceNanos;
    private final Transport transport;
    private final long timeoutNanos;
    private final LongSupplier nanoTime;

    private RaftNode node;
    /** Set when a leader became known while requests were parked; see {@link #afterReady()}. */
    private boolean retryParkedSoon;
    private String leaderId;
    private final Map<Long, PendingRequest.Write> proposals = new HashMap<>();
    private final Map<Long, PendingRequest.Write> forwarded = new HashMap<>();
    private final Map<Long, PendingRequest.Read<?>> reads = new HashMap<>();
    private final ArrayDeque<PendingRequest> parked = new ArrayDeque<>();
    private NodeMetrics metrics = NodeMetrics.NONE;
    private long nextCorrelationId = 1;
    private long nextReadId = 1;
    private MembershipGuard guard;
    /** Where this node's own callers' answers go; null: answered at once, on the loop. */
    private CallerAnswers answers;
    /** Run before the engine decides a LEASE read ({@link #beforeLeaseReads}). */
    private Runnable beforeLease = () -> { };

    RequestRouter(String selfId, Transport transport, long timeoutNanos) {
        this(selfId, transport, timeoutNanos, TimeUnit.MILLISECONDS.toNanos(50));
    }

    /**
     * @param replacedLeaderGraceNanos how long a write forwarded without a client session still waits for
     *                                 the answer of a leader that another node replaced meanwhile
     */
    RequestRouter(String selfId, Transport transport, long timeoutNanos, long replacedLeaderGraceNanos) {
        this(selfId, transport, timeoutNanos, replacedLeaderGraceNanos, System::nanoTime);
    }

    /** @param nanoTime the node's monotonic clock (see {@link NodeClock}) */
    RequestRouter(String selfId, Transport transport, long timeoutNanos, long replacedLeaderGraceNanos,
                  LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.replacedLeaderGraceNanos = replacedLeaderGraceNanos;
        this.selfId = selfId;
        this.transport = transport;
        this.timeoutNanos = timeoutNanos;
    }

    void attach(RaftNode node) {
        this.node = node;
    }

    long deadlineFromNow() {
        return nanoTime.getAsLong() + timeoutNanos;
    }

    // ---- new requests ----------------------------------------------------------------------------

    void submitWrite(PendingRequest.Write w) {
        try {
            Proposal p = w.change != null ? proposeMembership(w.change)
                    : node.propose(w.command, w.clientId, w.sequence);
            w.term = p.term();
            proposals.put(p.index(), w);
            metrics.proposed();
            trace("proposed", w, "at " + p.index());
        } catch (NotLeaderException e) {
            String leader = e.leaderId() != null ? e.leaderId() : leaderId;
            if (w.forwardedHere()) {
                // Never forward twice: the origin knows the cluster as well as we do and retries itself.
                trace("not leader, failed", w, "");
                w.fail(FailureReason.NOT_LEADER, leader, e.getMessage());
            } else if (leader != null && !leader.equals(selfId)) {
                forward(w, leader);
            } else {
                trace("parked, no leader", w, "");
                parked.add(w);
            }
        } catch (RequestRejectedException e) {
            trace("rejected " + e.reason(), w, "");
            if (e.reason() == FailureReason.TRANSFER_IN_PROGRESS && !w.forwardedHere()) {
                parked.add(w);
            } else {
                w.fail(e.reason(), leaderId, e.getMessage());
            }
        }
    }

    private void forward(PendingRequest.Write w, String leader) {
        long id = nextCorrelationId++;
        w.forwardedTo = leader;
        forwarded.put(id, w);
        metrics.forwarded();
        trace("forwarded", w, "to " + leader + " as " + id);
        transport.send(leader, w.change != null ? new Frame.ForwardMembership(id, selfId, w.change)
                : new Frame.ForwardRequest(id, selfId, w.command, w.clientId, w.sequence));
    }

    /** Only a leader proposes a change, and only one that leaves the cluster able to commit. */
    private Proposal proposeMembership(ConfigChange change) {
        String refusal = guard.refusal(node.status(), change);
        if (refusal != null) {
            throw new RequestRejectedException(FailureReason.REJECTED, refusal);
        }
        return node.proposeMembership(change);
    }

    void countWith(NodeMetrics metrics) {
        this.metrics = metrics;
    }

    /** Answers this node's own callers through {@code answers} (see {@link CallerAnswers}). */
    void answerThrough(CallerAnswers answers) {
        this.answers = answers;
    }

    /** Hands the answers collected so far to their thread: the state they report on is applied. */
    void handOverAnswers() {
        if (answers != null) {
            answers.flush();
        }
    }

    void guardMembershipWith(MembershipGuard guard) {
        this.guard = guard;
    }

    /**
     * Runs {@code check} right before the engine decides a LEASE read: the driver reports a pause the engine's
     * ticks missed ({@link DriverLoop#reportStall}), so the lease is not counted on time that did not pass for it.
     */
    void beforeLeaseReads(Runnable check) {
        this.beforeLease = check;
    }

    void submitRead(PendingRequest.Read<?> r) {
        if (r.consistency == ReadConsistency.STALE) {
            r.serve();
            return;
        }
        if (r.consistency == ReadConsistency.LEASE) {
            beforeLease.run();
        }
        long id = nextReadId++;
        reads.put(id, r);
        node.read(id, r.consistency);
    }

    /** A follower forwarded a write: propose it here and answer the follower when it is decided. */
    void onForwardRequest(Frame.ForwardRequest req) {
        proposeForwarded(req.correlationId(), new PendingRequest.Write(req.command(), req.clientId(), req.sequence(),
                req.origin(), deadlineFromNow()));
    }

    /** A follower forwarded a membership change: the same, for the change. */
    void onForwardMembership(Frame.ForwardMembership req) {
        proposeForwarded(req.correlationId(), new PendingRequest.Write(req.change(), req.origin(), deadlineFromNow()));
    }

    private void proposeForwarded(long correlationId, PendingRequest.Write w) {
        w.future.whenComplete((result, error) -> transport.send(w.origin, error == null
                ? Frame.ForwardResponse.ok(correlationId, result)
                : failureResponse(correlationId, error)));
        submitWrite(w);
    }

    private Frame.ForwardResponse failureResponse(long correlationId, Throwable error) {
        if (error instanceof RequestFailedException f) {
            return new Frame.ForwardResponse(correlationId, f.reason(), null, f.leaderId(), f.getMessage());
        }
        return new Frame.ForwardResponse(correlationId, FailureReason.OUTCOME_UNKNOWN, null, leaderId,
                String.valueOf(error));
    }

    void onForwardResponse(Frame.ForwardResponse resp) {
        PendingRequest.Write w = forwarded.remove(resp.correlationId());
        if (w == null) {
            return; // already expired or rerouted
        }
        trace("forward answered " + resp.failure(), w, "");
        if (resp.failure() == null) {
            w.future.complete(resp.result());
        } else if (retryable(resp.failure())) {
            w.forwardedTo = null;
            parked.add(w);
        } else {
            w.fail(resp.failure(), resp.leaderId(), resp.detail());
        }
    }

    // ---- outcomes from Ready ---------------------------------------------------------------------

    /** An entry was applied with {@code result}: complete the proposal waiting at its index, if any. */
    void onApplied(LogEntry entry, byte[] result) {
        PendingRequest.Write w = proposals.remove(entry.index());
        if (w == null) {
            return;
        }
        if (w.term == entry.term()) {
            // A membership entry has no state machine result: its caller wants the membership it made.
            byte[] answer = w.change != null ? entry.data() : result;
            if (answers == null || w.forwardedHere()) {
                w.future.complete(answer); // a forwarded write's answer goes back to its origin from the loop
            } else {
                answers.add(() -> w.future.complete(answer));
            }
        } else {
            // Another leader's entry took the slot: ours was overwritten and will never commit.
            w.fail(FailureReason.NOT_LEADER, leaderId, "leadership changed before the write committed");
        }
    }

    void onReadReady(ReadState state) {
        PendingRequest.Read<?> r = reads.remove(state.requestId());
        if (r != null) {
            // On the loop, not through the answering thread: a read has no fsync to overlap, and the extra
            // hand-off cost linearizable reads through JCA 17% (docs/benchmarks.md, "Answers off the loop").
            r.serve();
        }
    }

    void onFailure(RequestFailure f) {
        PendingRequest request = f.read() ? reads.remove(f.requestId()) : proposals.remove(f.requestId());
        if (request == null) {
            return;
        }
        boolean mine = !(request instanceof PendingRequest.Write w && w.forwardedHere());
        if (EventTrace.ON) {
            EventTrace.log("failure " + f.reason() + " of " + (f.read() ? "read " : "write ") + f.requestId() + (mine ? " (mine)" : ""));
        }
        if (retryable(f.reason()) && mine) {
            parked.add(request);
        } else {
            request.fail(f.reason(), f.leaderId(), f.detail());
        }
    }

    private static boolean retryable(FailureReason reason) {
        return reason == FailureReason.NOT_LEADER || reason == FailureReason.TRANSFER_IN_PROGRESS;
    }

    /** The leader this node knows changed: reroute what waits on a leader that is gone. */
    void onLeader(String newLeader) {
        EventTrace.log("leader now " + newLeader + ", parked " + parked.size() + ", forwarded " + forwarded.size());
        leaderId = newLeader;
        if (newLeader == null) {
            return;
        }
        for (Iterator<PendingRequest.Write> it = forwarded.values().iterator(); it.hasNext(); ) {
            PendingRequest.Write w = it.next();
            if (w.forwardedTo.equals(newLeader)) {
                continue;
            }
            if (w.clientId != 0) {
                giveUp(it, w, "leader " + w.forwardedTo + " was replaced before it answered");
            } else if (w.answerByNanos == 0) {
                // Without a session a second attempt could apply twice. A live old leader answers definitely
                // (applied, or NOT_LEADER once another entry took its slot) within moments, as after a
                // leadership transfer; a hung or lost one does not, and the write fails unknown after a grace.
                w.answerByNanos = nanoTime.getAsLong() + replacedLeaderGraceNanos;
            }
        }
        retryParkedSoon = !parked.isEmpty(); // after the loop: it may have parked writes for the new leader
    }

    /**
     * Stops waiting for the answer to a forwarded write ({@code it} is at it): with a client session it goes
     * to the leader known now, exactly-once; without one it fails, its outcome unknown ({@code why}).
     */
    private void giveUp(Iterator<PendingRequest.Write> it, PendingRequest.Write w, String why) {
        it.remove();
        if (w.clientId != 0) {
            if (PlantedBug.LOSE_FORWARDING_LABEL.planted()) {
                w.forwardedTo = null;
            } else {
                w.forwardingUnanswered();
            }
            parked.add(w);
            retryParkedSoon = true;
        } else {
            w.fail(FailureReason.OUTCOME_UNKNOWN, leaderId, why + "; the write may or may not take effect");
        }
    }

    /** The transport lost every connection to {@code peer}: what waits on its answer will not get one. */
    void onPeerLost(String peer) {
        for (Iterator<PendingRequest.Write> it = forwarded.values().iterator(); it.hasNext(); ) {
            PendingRequest.Write w = it.next();
            if (!peer.equals(w.forwardedTo)) {
                continue;
            }
            giveUp(it, w, "leader " + peer + " was lost before it answered");
        }
    }

    /**
     * After a Ready is done (never in the middle of one, when the engine takes no proposals): requests that
     * waited for a leader go to the one just learnt at once, not at the next tick — a leadership transfer's
     * write pause would otherwise grow by up to a tick.
     */
    void afterReady() {
        if (retryParkedSoon) {
            retryParkedSoon = false;
            retryParked();
        }
    }

    /** Once per tick: retry parked requests when a leader is known, fail whatever passed its deadline. */
    void onTick() {
        onTick(false);
    }

    /**
     * As {@link #onTick()}; with {@code cutOff} (no leader known, and fewer than a majority of the voters
     * reachable: the minority side of a partition) what waits for a leader fails at once instead of at its
     * deadline. Waiting could only delay the same 503 by the whole request timeout, while a client could
     * be retrying on the majority's side already.
     */
    void onTick(boolean cutOff) {
        long now = nanoTime.getAsLong();
        retryParked();
        if (cutOff) {
            for (Iterator<PendingRequest> it = parked.iterator(); it.hasNext(); ) {
                PendingRequest r = it.next();
                it.remove();
                failUnavailable(r, "this node reaches fewer than a majority of the voters and knows no leader "
                        + "(cut off from the cluster?); retry on another node");
            }
        }
        expire(parked.iterator(), now, "no leader was known");
        expire(forwarded.values().iterator(), now, "leader did not answer");
        for (Iterator<PendingRequest.Write> it = forwarded.values().iterator(); it.hasNext(); ) {
            PendingRequest.Write w = it.next();
            if (w.answerByNanos != 0 && now - w.answerByNanos >= 0) {
                giveUp(it, w, "leader " + w.forwardedTo + " was replaced and did not answer within "
                        + replacedLeaderGraceNanos / 1_000_000 + " ms");
            }
        }
        expire(proposals.values().iterator(), now, "no quorum confirmed the write");
        expire(reads.values().iterator(), now, "no quorum confirmed the read");
    }

    private void retryParked() {
        if (leaderId == null || parked.isEmpty()) {
            return;
        }
        List<PendingRequest> retry = new ArrayList<>(parked);
        parked.clear();
        EventTrace.log("retrying " + retry.size() + " parked with leader " + leaderId);
        for (PendingRequest r : retry) {
            if (r instanceof PendingRequest.Write w) {
                submitWrite(w);
            } else {
                submitRead((PendingRequest.Read<?>) r);
            }
        }
    }

    private static void trace(String what, PendingRequest.Write w, String more) {
        if (EventTrace.ON) {
            EventTrace.log("write " + w.clientId + "/" + w.sequence + (w.forwardedHere() ? " from " + w.origin : "")
                    + ": " + what + " " + more);
        }
    }

    private void expire(Iterator<? extends PendingRequest> it, long now, String why) {
        while (it.hasNext()) {
            PendingRequest r = it.next();
            if (now - r.deadlineNanos >= 0) {
                it.remove();
                failUnavailable(r, why + " within " + timeoutNanos / 1_000_000 + " ms");
            }
        }
    }

    /** Fails a request that got no answer, saying whether it may still take effect. */
    private void failUnavailable(PendingRequest r, String why) {
        boolean written = r instanceof PendingRequest.Write w && w.mayHaveBeenWritten();
        r.fail(written ? FailureReason.TIMEOUT : FailureReason.NOT_LEADER, leaderId, "unavailable: " + why
                + (written ? "; the write may or may not take effect" : "; nothing was written"));
    }

    /** Fails everything still waiting (the node is stopping). */
    void failAll(String why) {
        List<PendingRequest> all = new ArrayList<>(parked);
        all.addAll(forwarded.values());
        all.addAll(proposals.values());
        all.addAll(reads.values());
        parked.clear();
        forwarded.clear();
        proposals.clear();
        reads.clear();
        for (PendingRequest r : all) {
            r.fail(FailureReason.OUTCOME_UNKNOWN, leaderId, why);
        }
    }

    int waiting() {
        return parked.size() + forwarded.size() + proposals.size() + reads.size();
    }
}
