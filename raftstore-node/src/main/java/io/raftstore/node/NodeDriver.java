package io.raftstore.node;

import io.raftstore.core.ConfigChange;
import io.raftstore.core.FailureReason;
import io.raftstore.core.Incarnation;
import io.raftstore.core.Membership;
import io.raftstore.core.NodeStatus;
import io.raftstore.core.RaftConfig;
import io.raftstore.core.RaftException;
import io.raftstore.core.RaftNode;
import io.raftstore.core.ReadConsistency;
import io.raftstore.core.Ready;
import io.raftstore.core.ReadyPersister;
import io.raftstore.core.Role;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.StateMachine;
import io.raftstore.core.message.RaftMessage;
import io.raftstore.core.storage.RaftStorage;
import io.raftstore.node.history.FailoverEvent;
import io.raftstore.node.history.FailoverHistory;
import io.raftstore.node.history.FailoverRecorder;
import io.raftstore.node.history.ReachabilityEvent;
import io.raftstore.node.history.ReachabilityRecorder;
import io.raftstore.transport.Frame;
import io.raftstore.transport.Transport;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * The event loop of one node: ONE thread owns the {@link RaftNode}. Ticks (every
 * {@link DriverSettings#tickMillis()}), inbound frames and local requests are queued to it; after each
 * batch of work it drains every {@link Ready}, so many proposals and appends share one
 * durable write (group commit).
 *
 * <p>Public methods are thread-safe. Futures complete on the loop thread, or, when they answer this node's own
 * writes, on the thread that answers those ({@link CallerAnswers}): callers wait on them or chain only cheap
 * work.
 *
 * <p>The loop's mechanics (queue, ticks, stopping) are {@link DriverLoop}'s; this class is what a turn does
 * and the node's request and observation API.
 *
 * <p>The driver does not own storage, state machine or history (the caller opens and closes them); it
 * starts and closes the transport.
 */
public final class NodeDriver implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NodeDriver.class.getName());

    private final RaftConfig config;
    private final RaftStorage storage;
    private final StateMachine stateMachine;
    private final Transport transport;
    private final FailoverHistory history;
    private final DriverSettings settings;
    private final ThreadFactory threads;
    private final RandomGenerator random;
    private final DriverLoop loop;
    private final RequestRouter router;
    private final CallerAnswers answers = new CallerAnswers();
    /** Made at construction: a stopping node's handover should not link a lambda on its way (see TransferRehearsal). */
    private final Runnable transferToBestVoter = () -> startTransfer(null);

    private RaftNode node;
    private ReadyProcessor processor;
    private FailoverRecorder recorder;
    /**
     * The transport's thread only (views arrive one at a time): recording writes to the history's database, which
     * must not hold up the loop at the very moment a view change means a failover.
     */
    private ReachabilityRecorder reachability;
    private volatile NodeStatus status;
    private NodeClock clock = NodeClock.SYSTEM;
    private ReadyTransaction transaction = ReadyTransaction.NONE;
    /** The leader's own fsync beside the loop; null: every Ready's writes are forced on the loop. */
    private LogSyncer syncer;
    private NodeMetrics metrics = NodeMetrics.NONE;
    /** The latest snapshot's index as of the last turn, for status readers on other threads. */
    private volatile long snapshotIndex;
    /** Lets LEASE reads be answered on their callers' threads (never without {@link DriverSettings#leaseReads()}). */
    private final CallerLease lease;
    private long snapshotEveryEntries;
    private long snapshotKeepEntries;

    public NodeDriver(RaftConfig config, RaftStorage storage, StateMachine stateMachine, Transport transport,
                      FailoverHistory history, DriverSettings settings, ThreadFactory threads,
                      RandomGenerator random) {
        this.config = settings.engineConfig(config);
        this.storage = storage;
        this.stateMachine = stateMachine;
        this.transport = transport;
        this.history = history;
        this.settings = settings;
        this.threads = threads;
        this.random = random;
        this.loop = new DriverLoop(config.nodeId());
        this.lease = new CallerLease(TimeUnit.MILLISECONDS.toNanos(settings.tickMillis()), stateMachine::appliedIndex);
        // A live old leader answers a forwarded write within about a heartbeat after it was replaced.
        this.router = new RequestRouter(config.nodeId(), transport,
                TimeUnit.MILLISECONDS.toNanos(settings.requestTimeoutMillis()),
                TimeUnit.MILLISECONDS.toNanos(Math.max(20L, (long) settings.tickMillis() * config.heartbeatTicks())),
                () -> clock.nanoTime());
        router.answerThrough(answers);
        router.beforeLeaseReads(loop::reportStall);
        promoteLearnersWithin(1_000);
    }

    /**
     * Makes each Ready's writes one storage transaction (for example {@code NodeStorage::atomically}), so they
     * cost at most one sync. Call before {@link #start()}; by default each store write is its own.
     */
    public synchronized NodeDriver persistInOneTransaction(ReadyTransaction transaction) {
        this.transaction = transaction;
        return this;
    }

    /**
     * Lets a leader write its new entries unforced and sync them on a thread of its own while the loop goes on
     * ({@link LogSyncer}); {@code sync} makes every log write made before it durable and may run beside the
     * writes (for example {@code NodeStorage::sync} where the log store allows it). Call before
     * {@link #start()}; by default every write that must be durable is forced on the loop.
     */
    public synchronized NodeDriver syncLeaderWritesBeside(Runnable sync) {
        this.syncer = new LogSyncer(sync, loop::execute, (index, term) -> node.synced(index, term), () -> clock.nanoTime(),
                (nanos, entries) -> metrics.persisted(nanos, entries, true));
        return this;
    }

    /** Reports the node's work to {@code metrics} (see {@link NodeMetrics}). Call before {@link #start()}. */
    public synchronized NodeDriver countWith(NodeMetrics metrics) {
        this.metrics = metrics;
        router.countWith(metrics);
        return this;
    }

    /**
     * Snapshots the state machine and compacts the log whenever {@code everyEntries} entries were applied
     * since the last snapshot, keeping {@code keepEntries} entries so slightly lagging followers catch up
     * from the log. Call before {@link #start()}; by default the log is never compacted.
     */
    public synchronized NodeDriver snapshotEvery(long everyEntries, long keepEntries) {
        if (everyEntries < 1 || keepEntries < 0) {
            throw new IllegalArgumentException("snapshot every " + everyEntries + " keeping " + keepEntries);
        }
        this.snapshotEveryEntries = everyEntries;
        this.snapshotKeepEntries = keepEntries;
        return this;
    }

    /**
     * Reads the time from {@code clock} instead of the system's clocks (the simulation's virtual time). Call
     * before {@link #start()}.
     */
    public synchronized NodeDriver withClock(NodeClock clock) {
        this.clock = clock;
        return this;
    }

    /** Recovers the engine from storage, joins the transport and starts the loop on a thread of its own. */
    public synchronized void start() throws Exception {
        open();
        answers.startThread(threads, "raft-answers-" + config.nodeId());
        if (syncer != null) {
            syncer.startThread(threads, "raft-sync-" + config.nodeId());
        }
        loop.startThread(threads, "raft-loop-" + config.nodeId());
        joinTransport();
    }

    /**
     * As {@link #start()}, but no thread is started: the caller runs the loop by calling {@link #runTurn()}
     * whenever work was queued or {@link #nextTickNanos()} has come, always from the same thread. This is
     * how the whole-node simulation runs the production driver, one seeded step at a time.
     */
    public synchronized void startDriven() throws Exception {
        loop.drive();
        open();
        joinTransport();
    }

    private void open() {
        if (node != null) {
            throw new IllegalStateException("already started");
        }
        // A snapshot install that a crash interrupted is finished before the engine reads the log.
        new ReadyPersister(storage, stateMachine).recover();
        // A new (or wiped) data directory gets its identity here, so the engine knows it may have lost what
        // it acknowledged (issue 12, finding 1).
        Incarnation.ensure(storage, random::nextLong);
        TransferRehearsal.rehearse(config.nodeId());
        node = new RaftNode(config, storage, stateMachine.appliedIndex(), random);
        router.attach(node);
        recorder = new FailoverRecorder(history, clock.wall(), clock::nanoTime);
        reachability = new ReachabilityRecorder(history, clock.wall(), config.nodeId());
        processor = new ReadyProcessor(storage, stateMachine, transport, router, recorder, transaction, metrics,
                clock::nanoTime, syncer);
        status = node.status();
        loop.open(clock, settings.tickMillis(), new DriverLoop.Work() {
            @Override
            public void tick() {
                if (EventTrace.ON) {
                    EventTrace.log("tick");
                }
                node.tick();
                router.onTick(cutOffFromQuorum());
            }

            @Override
            public void stalled() {
                if (EventTrace.ON) {
                    EventTrace.log("stalled");
                }
                node.stalled();
            }

            @Override
            public void process(boolean ticked) {
                processReadies(ticked);
            }

            @Override
            public void stopped(Throwable fatal) {
                lease.withdraw();
                answers.flush(); // what was applied is answered as such, even if the Ready failed after
                router.failAll("node " + config.nodeId() + " is stopping"
                        + (fatal != null ? " after a failure: " + fatal : ""));
            }
        });
    }

    private void joinTransport() throws Exception {
        transport.start(new Transport.Listener() {
            @Override
            public void onFrame(String from, Frame frame) {
                loop.execute(() -> handle(from, frame));
            }

            @Override
            public void onReachableChanged(Set<String> reachable) {
                NodeStatus s = status; // as of the loop's last turn
                if (s != null) {
                    reachability.reachableNow(Set.copyOf(reachable), members(s.membership()));
                }
            }

            @Override
            public void onPeerLost(String nodeId) {
                loop.execute(() -> {
                    node.peerLost(nodeId);
                    router.onPeerLost(nodeId);
                });
            }
        });
    }

    // ---- a turn of the loop ----------------------------------------------------------------------

    /** Every Ready of the engine, then a snapshot when one is due; a tick counts as a change. */
    private void processReadies(boolean ticked) {
        boolean changed = ticked;
        while (node.hasReady()) {
            Ready rd = node.ready();
            publishLease(); // before the Ready's messages tell anyone of a newer commit index or a transfer
            processor.process(node, rd);
            changed = true;
        }
        publishLease();
        if (changed) {
            maybeSnapshot();
            status = node.status();
            snapshotIndex = latestSnapshotIndex();
        }
    }

    /** See {@link CallerLease}. Loop thread. */
    private void publishLease() {
        if (settings.leaseReads()) {
            lease.refresh(node, loop.lastTickNanos());
        }
    }

    /** Whether a leader's sync beside the loop was asked for and has not run yet (the simulation crashes it then). */
    public boolean leaderSyncPending() {
        return syncer != null && syncer.pending();
    }

    /**
     * One turn of the loop, run by the caller of a driven driver ({@link #startDriven()}): the queued work,
     * a tick if one is due, and every Ready. Returns false once the node has stopped (closed, or failed:
     * see {@link #fatalError()}), as the loop thread of a started driver would.
     */
    public boolean runTurn() {
        if (syncer != null && loop.running()) {
            // A sync asked for returns up to 5 ms of the driver's (virtual) time later, turns in between.
            syncer.runPending(clock.nanoTime(), TimeUnit.MICROSECONDS.toNanos(random.nextInt(5_000)));
        }
        return loop.runTurn();
    }

    /** When the loop next ticks, on the driver's clock ({@link NodeClock#nanoTime()}). */
    public long nextTickNanos() {
        return loop.nextTickNanos();
    }

    /**
     * Between two Readies, so the engine's applied index matches the state machine. The snapshot is
     * written on the loop thread: with the default threshold that is a short pause; streaming it from
     * another thread (the state machine allows it) is the next step for large states. None while a
     * snapshot from the leader is being received: it would abandon that one (see
     * {@link ReadyPersister#receivingSnapshot()}), and the install brings a snapshot anyway.
     */
    private void maybeSnapshot() {
        if (snapshotEveryEntries > 0 && !receivingSnapshot()
                && stateMachine.appliedIndex() - latestSnapshotIndex() >= snapshotEveryEntries) {
            snapshot();
        }
    }

    private boolean receivingSnapshot() {
        return processor.receivingSnapshot() && !PlantedBug.SNAPSHOT_OVER_INSTALL.planted();
    }

    /** The latest snapshot's index as of the loop's last turn; 0 before the first snapshot. Any thread. */
    public long snapshotIndex() {
        return snapshotIndex;
    }

    /** The latest snapshot's index, taken here or installed from the leader (which counts just the same). */
    private long latestSnapshotIndex() {
        return storage.snapshots().latest().map(SnapshotMeta::index).orElse(0L);
    }

    /** Snapshots at the applied index and compacts; on the loop thread, between two Readies. */
    private SnapshotReport snapshot() {
        long started = clock.nanoTime();
        processor.snapshot(node, snapshotKeepEntries);
        long millis = TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - started);
        SnapshotMeta meta = storage.snapshots().latest().orElseThrow();
        LOG.info("node " + config.nodeId() + " snapshotted at " + meta.index() + " in " + millis + " ms");
        return new SnapshotReport(meta.index(), meta.term(), storage.log().firstIndex(), millis, true);
    }

    private void handle(String from, Frame frame) {
        if (EventTrace.ON) {
            EventTrace.log("in from " + from + ": " + EventTrace.frame(frame));
        }
        if (frame instanceof Frame.RaftBatch batch) {
            recorder.heardFrom(from);
            for (RaftMessage m : batch.messages()) {
                node.step(m);
            }
        } else if (frame instanceof Frame.ForwardRequest req) {
            router.onForwardRequest(req);
        } else if (frame instanceof Frame.ForwardMembership req) {
            router.onForwardMembership(req);
        } else if (frame instanceof Frame.ForwardResponse resp) {
            router.onForwardResponse(resp);
        }
    }

    // ---- requests --------------------------------------------------------------------------------

    /** Replicates a command without a client session; completes with the state machine's result. */
    public CompletableFuture<byte[]> propose(byte[] command) {
        return propose(command, 0, 0);
    }

    /**
     * Replicates a command, from any node (a follower forwards it to the leader). Fails with
     * {@link RequestFailedException} when no leader or quorum answers within the request timeout.
     */
    public CompletableFuture<byte[]> propose(byte[] command, long clientId, long sequence) {
        PendingRequest.Write w = new PendingRequest.Write(command, clientId, sequence, null, router.deadlineFromNow());
        submit(w, () -> router.submitWrite(w));
        return w.future;
    }

    /**
     * Runs {@code query} against the local state machine once the read is allowed at {@code consistency}
     * (for LINEARIZABLE the leader confirms a read index over the same channel). {@code query} runs on the
     * loop thread: keep it short. A LEASE read on a leader whose lease holds ({@link DriverSettings#leaseReads()})
     * runs {@code query} at once, on the caller's thread, so it must be safe beside the loop's applies.
     */
    public <T> CompletableFuture<T> read(ReadConsistency consistency, Supplier<T> query) {
        if (consistency == ReadConsistency.LEASE && lease.holdsAt(clock.nanoTime())) {
            try {
                return CompletableFuture.completedFuture(query.get());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        PendingRequest.Read<T> r = new PendingRequest.Read<>(consistency, query, router.deadlineFromNow());
        submit(r, () -> router.submitRead(r));
        return r.future;
    }

    private void submit(PendingRequest request, Runnable action) {
        loop.submit(action, request::fail);
    }

    /**
     * Snapshots this node's state machine now and compacts its log (keeping the entries
     * {@link #snapshotEvery} keeps), on the loop thread between two Readies. When the latest snapshot
     * already holds every applied entry, nothing is written and the report says so. Refused (REJECTED)
     * while a snapshot from the leader is being received. A failure to write it stops the node, as for the
     * automatic snapshots: its storage can no longer be trusted.
     */
    public CompletableFuture<SnapshotReport> snapshotNow() {
        CompletableFuture<SnapshotReport> done = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                long applied = stateMachine.appliedIndex();
                if (receivingSnapshot()) {
                    done.completeExceptionally(new RequestFailedException(FailureReason.REJECTED, status.leaderId(),
                            "node " + config.nodeId() + " is installing a snapshot from the leader, which replaces"
                                    + " its state and log; a local snapshot now would cut that short. Retry once it"
                                    + " is installed"));
                } else if (applied == latestSnapshotIndex()) {
                    SnapshotMeta latest = storage.snapshots().latest().orElse(null);
                    done.complete(new SnapshotReport(applied, latest == null ? 0 : latest.term(),
                            storage.log().firstIndex(), 0, false));
                } else {
                    SnapshotReport report = snapshot();
                    status = node.status(); // before answering, so the caller sees the compacted log
                    done.complete(report);
                }
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
                throw e;
            }
        };
        loop.submit(task, done::completeExceptionally);
        return done;
    }

    /**
     * Proposes a single-server membership change from any node: a follower forwards it to the leader over
     * the same channel as writes ({@link Frame.ForwardMembership}), and while no leader is known it waits,
     * like a write, up to the request timeout. Completes with the new membership once the change is
     * committed; fails with {@link RequestFailedException}: REJECTED with the engine's or
     * {@link MembershipGuard}'s reason (unknown member, last voter, another change in flight, a learner not
     * caught up, no quorum after it), or unavailable.
     */
    public CompletableFuture<Membership> changeMembership(ConfigChange change) {
        PendingRequest.Write w = new PendingRequest.Write(change, null, router.deadlineFromNow());
        submit(w, () -> router.submitWrite(w));
        return w.future.thenApply(Membership::fromBytes);
    }

    /**
     * How far behind the leader's log (in entries) a learner may be when it is promoted to voter. Call
     * before {@link #start()}; by default 1,000.
     */
    public synchronized NodeDriver promoteLearnersWithin(long entries) {
        router.guardMembershipWith(new MembershipGuard(entries, config.electionTicks()));
        return this;
    }

    /**
     * Asks this node, if it leads, to hand leadership to {@code target} (null: the most caught-up voter),
     * and waits up to {@code timeoutMillis} for another node to lead. Returns the leader then known. A
     * transfer already under way is waited for, not restarted: a second TimeoutNow to another voter could
     * make two candidates split the vote.
     */
    public String transferLeadership(String target, long timeoutMillis) throws InterruptedException {
        requestTransfer(target);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (loop.running() && System.nanoTime() - deadline < 0) {
            NodeStatus s = status;
            if (s.role() != Role.LEADER && s.leaderId() != null && !s.leaderId().equals(config.nodeId())) {
                return s.leaderId();
            }
            Thread.sleep(settings.tickMillis());
        }
        return status.leaderId();
    }

    /**
     * Asks this node, if it leads, to hand leadership to {@code target} (null: the most caught-up voter),
     * without waiting; a transfer already under way is left alone (see {@link #transferLeadership}).
     */
    public void requestTransfer(String target) {
        EventTrace.log("transfer requested, target " + target);
        loop.execute(target == null ? transferToBestVoter : () -> startTransfer(target));
    }

    /** On the loop: starts a transfer unless one is under way or this node does not lead. */
    private void startTransfer(String target) {
        try {
            NodeStatus now = node.status();
            if (now.role() == Role.LEADER && !now.transferring()) {
                if (EventTrace.ON) {
                    EventTrace.log("transfer starts: last " + now.lastIndex() + " commit " + now.commitIndex()
                            + " peers " + now.followers());
                }
                node.transferLeadership(target);
            }
        } catch (RaftException e) {
            LOG.info("leadership transfer refused: " + e.getMessage());
        }
    }

    // ---- observation -----------------------------------------------------------------------------

    /**
     * No leader known and the transport reaches fewer than a majority of the voters, this node counted:
     * the minority side of a partition. Only a hint for failing requests early; Raft decides nothing by it.
     */
    private boolean cutOffFromQuorum() {
        NodeStatus s = status;
        if (s == null || s.leaderId() != null || s.membership().voters().isEmpty()) {
            return false;
        }
        Set<String> reach = transport.reachable();
        long reachable = s.membership().voters().stream()
                .filter(v -> v.equals(s.nodeId()) || reach.contains(v)).count();
        return reachable <= s.membership().voters().size() / 2;
    }

    /** The engine's status as of the last loop turn. */
    public NodeStatus status() {
        return status;
    }

    public Set<String> reachablePeers() {
        return transport.reachable();
    }

    public List<FailoverEvent> history(int limit) {
        return history.recent(limit);
    }

    private static Set<String> members(Membership m) {
        Set<String> all = new HashSet<>(m.voters());
        all.addAll(m.learners());
        return all;
    }

    /** When this node lost and regained each peer, oldest first. Any thread. */
    public List<ReachabilityEvent> reachability(int limit) {
        return history.reachability(limit);
    }

    /** True while the loop runs and has ticked within the last second. */
    public boolean alive() {
        return loop.alive();
    }

    /** The failure that stopped the loop, or null. */
    public Throwable fatalError() {
        return loop.fatal();
    }

    public String nodeId() {
        return config.nodeId();
    }

    // ---- shutdown --------------------------------------------------------------------------------

    /**
     * If this node leads a cluster of several voters, hands leadership to the most caught-up one and waits
     * (at most {@code handoverMillis}) until another node leads. Thread-safe and repeatable: the node keeps
     * running as a follower, and a call during a transfer waits for it.
     */
    public void handOver(long handoverMillis) throws InterruptedException {
        NodeStatus s = status;
        if (loop.running() && s != null && s.role() == Role.LEADER && s.membership().voters().size() > 1) {
            String next = transferLeadership(null, handoverMillis);
            EventTrace.log("handed over to " + next);
            LOG.info("node " + config.nodeId() + " handed leadership to " + next + " before stopping");
        }
    }

    /** Graceful stop: a leader first hands over (bounded by {@code handoverMillis}), then everything stops. */
    public void shutdown(long handoverMillis) throws InterruptedException {
        handOver(handoverMillis);
        close();
    }

    /** Stops the loop and leaves the cluster at once; waiting requests fail. Idempotent. */
    @Override
    public void close() {
        EventTrace.log("driver close");
        loop.close();
        answers.close();
        if (syncer != null) {
            syncer.close(); // waits for a sync in progress: the storage is closed after this
        }
        transport.close();
    }
}
