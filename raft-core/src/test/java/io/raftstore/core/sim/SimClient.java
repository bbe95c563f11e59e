package io.raftstore.core.sim;

import io.raftstore.core.LogEntry;
import io.raftstore.core.NotLeaderException;
import io.raftstore.core.Proposal;
import io.raftstore.core.RaftException;
import io.raftstore.core.ReadConsistency;
import io.raftstore.core.ReadState;
import io.raftstore.core.RequestFailure;
import io.raftstore.core.RequestRejectedException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A client running one key-value operation at a time against the cluster, recording each operation's
 * invocation and response in the history. Most writes go through {@code propose} with a client session,
 * so a retry after an unknown outcome (leader change, timeout, crash of the node it talked to) is applied
 * at most once. Some writes have no session: after a failure that {@linkplain
 * io.raftstore.core.FailureReason#mayHaveTakenEffect() may have taken effect} they cannot be retried
 * blindly, so they are recorded as indeterminate and the client moves on; after any other failure the
 * engine promised nothing was written, and the retry tests that promise. Reads use ReadIndex, lease reads
 * or the log. A failed attempt is retried elsewhere after a short back-off; the operation keeps its
 * original invocation time, so the checker sees its true span.
 */
final class SimClient {

    /** One try of the current operation on one node: a proposal (index, term) or a read (request id). */
    private record Attempt(String node, boolean read, long index, long term, long requestId, long issuedTick) {
    }

    /** The operation in progress. */
    private record Pending(String key, KvCommand.Op kind, String value, String expected, ReadConsistency read,
                           boolean session, long invokedAt, long invokeTick) {
    }

    private static final ReadConsistency VIA_LOG = null;

    private final int number;
    private final long clientId;
    private final SimCluster cluster;
    private final List<Operation> history;
    private final Map<String, String> lastSeen = new HashMap<>();
    private long sequence;
    private Pending op;
    private Attempt attempt;
    private long retryAt;
    private String leaderHint;
    private boolean starting = true;
    private long nextReadId;

    SimClient(int number, SimCluster cluster, List<Operation> history) {
        this.number = number;
        this.clientId = number + 1;
        this.cluster = cluster;
        this.history = history;
        // Read ids are unique per node's pending reads; a per-client range makes them unique everywhere.
        this.nextReadId = (long) number << 40;
    }

    /** Stops starting new operations; the current one still runs to completion. */
    void stopStarting() {
        starting = false;
    }

    boolean busy() {
        return op != null;
    }

    void tick() {
        long now = cluster.now();
        if (attempt != null) {
            // A pause of the node held its answer up: count from its resumption.
            long age = now - Math.max(attempt.issuedTick, cluster.node(attempt.node).lastResumeTick());
            // The engine promises to answer every request within its request timeout; allow slack for
            // the ticks a Ready takes to come round.
            if (age > cluster.options.requestTimeout() + 4L * cluster.options.election()
                    && cluster.node(attempt.node).running()) {
                throw new SafetyViolation("liveness: c" + number + "'s request on " + attempt.node + " (" + attempt
                        + ") got no answer for " + age + " ticks; the request timeout is "
                        + cluster.options.requestTimeout());
            }
            return;
        }
        if (op == null) {
            if (!starting || cluster.random.nextDouble() > 0.4) {
                return;
            }
            op = newOperation();
            cluster.trace.node("c" + number, "invoke " + describe(op));
        }
        if (now >= retryAt) {
            issue();
        }
    }

    private Pending newOperation() {
        String key = "k" + cluster.random.nextInt(cluster.options.keys());
        long stamp = cluster.stamp();
        int dice = cluster.random.nextInt(100);
        sequence++;
        String value = "c" + number + "." + sequence;
        boolean session = cluster.random.nextInt(4) != 0;
        if (dice < 35) {
            return new Pending(key, KvCommand.Op.PUT, value, null, VIA_LOG, session, stamp, cluster.now());
        }
        if (dice < 55) {
            String expected = cluster.random.nextInt(4) == 0 ? null : lastSeen.get(key);
            return new Pending(key, KvCommand.Op.CAS, value, expected, VIA_LOG, session, stamp, cluster.now());
        }
        ReadConsistency how = dice < 65 ? VIA_LOG
                : dice < 75 && cluster.options.leaseReads() ? ReadConsistency.LEASE : ReadConsistency.LINEARIZABLE;
        return new Pending(key, KvCommand.Op.GET, null, null, how, true, stamp, cluster.now());
    }

    private void issue() {
        // Once every fault has healed, clients are pointed at the members only, as an operator would point them.
        // A removed node that never heard of its removal (a learner cut off from a leader that is gone) holds
        // each request until it times out; a client that kept choosing it ran past the liveness bound (seed
        // 721886 with 5 nodes: one client's read went to removed learners 8 times in a row). Removed nodes keep
        // running, so their campaigns still test the leader's stability.
        List<String> ids = starting ? cluster.ids() : new ArrayList<>(cluster.membership().all());
        String target = leaderHint != null && cluster.random.nextInt(4) != 0 ? leaderHint : cluster.pick(ids);
        SimNode node = cluster.node(target);
        leaderHint = null;
        if (node == null || !node.running()) {
            backOff(); // connection refused, or no answer from a paused process
            return;
        }
        long now = cluster.now();
        try {
            if (op.kind == KvCommand.Op.GET && op.read != VIA_LOG) {
                long id = ++nextReadId;
                attempt = new Attempt(target, true, 0, 0, id, now);
                node.raft().read(id, cluster.options.bug() == DriverBug.STALE_READS ? ReadConsistency.STALE : op.read);
            } else {
                KvCommand cmd = new KvCommand(op.kind, op.key, op.value, op.expected);
                Proposal p = op.session ? node.raft().propose(cmd.encode(), clientId, sequence)
                        : node.raft().propose(cmd.encode());
                attempt = new Attempt(target, false, p.index(), p.term(), 0, now);
            }
            cluster.trace.node("c" + number, "attempt on " + target + ": " + attempt);
        } catch (NotLeaderException e) {
            attempt = null;
            leaderHint = e.leaderId();
            backOff();
        } catch (RequestRejectedException e) {
            attempt = null;
            backOff();
        } catch (RaftException e) {
            attempt = null;
            backOff();
        }
    }

    private void backOff() {
        retryAt = cluster.now() + 1 + cluster.random.nextInt(3);
    }

    void onApplied(SimNode node, LogEntry entry, byte[] result) {
        if (attempt == null || attempt.read || !attempt.node.equals(node.id) || entry.index() != attempt.index) {
            return;
        }
        if (entry.term() != attempt.term) {
            // Another entry took our index: this try was lost. The session makes a retry safe either way.
            cluster.trace.node("c" + number, "attempt lost at " + entry.index());
            attempt = null;
            backOff();
            return;
        }
        KvCommand.Result r = KvCommand.Result.decode(result);
        if (r.stale()) {
            throw new SafetyViolation("c" + number + " got a stale-session answer for its current sequence "
                    + sequence + " at " + entry);
        }
        complete(r.value(), r.ok());
    }

    void onRead(SimNode node, ReadState read) {
        if (attempt != null && attempt.read && attempt.node.equals(node.id) && read.requestId() == attempt.requestId) {
            complete(node.stateMachine().get(op.key), true);
        }
    }

    void onFailed(SimNode node, RequestFailure f) {
        if (attempt == null || !attempt.node.equals(node.id) || attempt.read != f.read()) {
            return;
        }
        if (f.read() ? f.requestId() == attempt.requestId : f.requestId() == attempt.index) {
            cluster.trace.node("c" + number, "attempt failed: " + f.reason() + " " + f.detail());
            attempt = null;
            leaderHint = f.leaderId();
            if (f.reason().mayHaveTakenEffect() && !canRetryBlindly()) {
                giveUp();
            } else {
                backOff();
            }
        }
    }

    /** The node this client's attempt was on crashed: the outcome is unknown, so try again elsewhere. */
    void onCrash(SimNode node) {
        if (attempt != null && attempt.node.equals(node.id)) {
            boolean proposed = !attempt.read;
            attempt = null;
            if (proposed && !canRetryBlindly()) {
                giveUp();
            } else {
                backOff();
            }
        }
    }

    /** Reads change nothing and session writes are applied once, so both may be retried after anything. */
    private boolean canRetryBlindly() {
        return op.session || op.kind == KvCommand.Op.GET;
    }

    /** Records the operation as indeterminate (it may or may not have taken effect) and moves on. */
    private void giveUp() {
        Operation unknown = unfinished();
        history.add(unknown);
        cluster.trace.node("c" + number, "outcome unknown, giving up: " + unknown);
        op = null;
        attempt = null;
    }

    private void complete(String output, boolean ok) {
        Operation done = new Operation(number, op.key, op.kind, op.value, op.expected, output, ok, op.invokedAt,
                cluster.stamp(), op.invokeTick, cluster.now());
        history.add(done);
        lastSeen.put(op.key, op.kind == KvCommand.Op.PUT ? op.value : output);
        cluster.trace.node("c" + number, "return " + done);
        op = null;
        attempt = null;
    }

    /** The running operation as an unknown outcome, for the history at the end of a run. */
    Operation unfinished() {
        return op == null ? null : new Operation(number, op.key, op.kind, op.value, op.expected, null, false,
                op.invokedAt, Operation.PENDING, op.invokeTick, -1);
    }

    private static String describe(Pending p) {
        return p.kind + " " + p.key + (p.value != null ? " " + p.value : "")
                + (p.kind == KvCommand.Op.CAS ? " if " + p.expected : "")
                + (p.kind == KvCommand.Op.GET ? " via " + (p.read == VIA_LOG ? "log" : p.read) : "");
    }
}
