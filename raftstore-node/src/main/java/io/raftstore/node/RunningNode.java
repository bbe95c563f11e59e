package io.raftstore.node;

import io.raftstore.core.ConfigChange;
import io.raftstore.core.FailureReason;
import io.raftstore.core.Membership;
import io.raftstore.core.NodeStatus;
import io.raftstore.core.RaftConfig;
import io.raftstore.core.ReadConsistency;
import io.raftstore.kv.KvCodec;
import io.raftstore.kv.KvCommand;
import io.raftstore.kv.KvLimits;
import io.raftstore.kv.KvResult;
import io.raftstore.kv.KvStateMachine;
import io.raftstore.kv.KvValidationException;
import io.raftstore.node.history.FailoverEvent;
import io.raftstore.node.history.H2FailoverHistory;
import io.raftstore.node.history.ReachabilityEvent;
import io.raftstore.node.storage.NodeStorage;
import io.raftstore.storage.Disk;
import io.raftstore.storage.LogStoreKind;
import io.raftstore.storage.h2.H2Backup;
import io.raftstore.storage.h2.H2StorageConfig;
import io.raftstore.transport.jgroups.JGroupsSettings;
import io.raftstore.transport.jgroups.JGroupsTransport;
import io.raftstore.transport.security.NodeCredentials;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * One complete node assembled from {@link NodeSettings}: H2 storage and key-value state machine, failover
 * history, JGroups transport and the event loop, opened in that order and closed in reverse. Its methods
 * are the key-value API with blocking, bounded waits; the container wraps it in a singleton EJB.
 */
public final class RunningNode implements AutoCloseable {
    /**
     * System property, for A/B measurements only: {@code true} makes a leader force its new entries on its event loop
     * again instead of syncing them beside it ({@link NodeDriver#syncLeaderWritesBeside}).
     */
    public static final String LEADER_SYNC_ON_LOOP = "raftstore.internal.leader-sync-on-loop";

    private static final Logger LOG = Logger.getLogger(RunningNode.class.getName());

    /** Entries kept in the log behind a snapshot, so a briefly lagging follower needs no snapshot. */
    private static final long SNAPSHOT_KEEP_ENTRIES = 1_000;

    /** A read's operation name in the request metrics, made once rather than per request. */
    private static final Map<ReadConsistency, String> READ_OPERATIONS = new EnumMap<>(ReadConsistency.class);

    static {
        for (ReadConsistency c : ReadConsistency.values()) {
            READ_OPERATIONS.put(c, "read_" + c.name().toLowerCase(Locale.ROOT));
        }
    }

    private final NodeSettings settings;
    private final KvLimits limits;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private NodeStorage storage;
    private final KvStateMachine stateMachine;
    private final NodeDriver driver;
    private final NodeMetrics metrics;

    private RunningNode(NodeSettings settings, NodeCredentials credentials, ThreadFactory threads, NodeMetrics metrics)
            throws Exception {
        this.settings = settings;
        this.metrics = metrics;
        this.limits = new KvLimits(settings.maxValueBytes(), KvLimits.DEFAULT.maxBatchOps(),
                KvLimits.DEFAULT.maxScanLimit());
        try {
            this.stateMachine = open(credentials, threads);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
        this.driver = (NodeDriver) opened.get(opened.size() - 1);
    }

    private KvStateMachine open(NodeCredentials credentials, ThreadFactory threads) throws Exception {
        NodeStorage storage = NodeStorage.open(settings.dataDir(),
                H2StorageConfig.DEFAULT.withLogStore(settings.logStore()));
        opened.add(storage);
        this.storage = storage;
        long reapplied = storage.recover();
        RestoredBackup.renewIfMarked(Disk.REAL, settings.dataDir(), storage.raftStorage(), new SecureRandom()::nextLong);
        KvStateMachine stateMachine = storage.stateMachine();
        H2FailoverHistory history = new H2FailoverHistory(settings.dataDir(), 1_000);
        opened.add(history);
        JGroupsTransport transport = new JGroupsTransport(new JGroupsSettings(settings.clusterName(),
                settings.self(), List.copyOf(settings.members().values()), settings.failureDetectionMillis(),
                settings.bindAddress(), settings.dns()), credentials, threads);
        RaftConfig config = RaftConfig.defaults(settings.nodeId(), initialMembership(settings))
                .withTimeouts(settings.heartbeatTicks(), settings.electionTicks(),
                        (int) (settings.requestTimeoutMillis() / settings.tickMillis()));
        NodeDriver driver = new NodeDriver(config, storage.raftStorage(), stateMachine, transport, history,
                new DriverSettings(settings.tickMillis(), settings.requestTimeoutMillis(), settings.leaseReads()), threads,
                new SplittableRandom(new SecureRandom().nextLong()))
                .persistInOneTransaction(storage::atomically)
                .snapshotEvery(settings.snapshotEntries(), Math.min(SNAPSHOT_KEEP_ENTRIES, settings.snapshotEntries() / 2))
                .promoteLearnersWithin(settings.readyMaxLag())
                .countWith(metrics);
        // The leader's own fsync beside its loop, where the log store allows it (docs/benchmarks.md, "The
        // leader's fsync beside its loop").
        if (storage.syncsBesideWrites() && !Boolean.getBoolean(LEADER_SYNC_ON_LOOP)) {
            driver.syncLeaderWritesBeside(storage::sync);
        }
        opened.add(driver);
        driver.start();
        if (settings.logStore() == LogStoreKind.H2) {
            LOG.warning("RaftStore node " + settings.nodeId() + " keeps its Raft log in its H2 database"
                    + " (raftstore.log.store=h2): each write costs two more fsyncs than with the write-ahead log, and"
                    + " recovering from a commit torn by a power loss or a failed fsync rests on reading H2's file layout"
                    + " (docs/storage.md, \"Torn commits\"). Use the write-ahead log, the default: a new data"
                    + " directory (wipe the node, one at a time) with raftstore.log.store=wal");
        }
        LOG.info("RaftStore node " + settings.nodeId() + " started: data in " + settings.dataDir() + " (log store "
                + settings.logStore().value() + "), applied "
                + stateMachine.appliedIndex() + " (" + reapplied + " re-applied), members " + settings.members()
                + (settings.bindAddress() == null ? "" : ", bound to " + settings.bindAddress())
                + (settings.dns() == null ? "" : ", DNS discovery of " + settings.dns().query()
                + (settings.dns().server() == null ? "" : " through " + settings.dns().server()))
                + (settings.join() ? "; join mode: a member only once an admin adds it" : "")
                + (settings.leaseReads() ? "; LEASE reads served from the leader's lease (a crashed leader is replaced"
                + " after an election timeout)" : "")
                + (credentials == null ? "; node-to-node protection OFF" : "; node-to-node frames sealed with the certificate of "
                + credentials.certificate().getSubjectX500Principal().getName()));
        return stateMachine;
    }

    /**
     * The configuration before the log says otherwise. A bootstrap node starts with every configured member
     * as a voter, with its address; a joining node starts with none, so it never campaigns and learns the
     * cluster (members and addresses) from the leader's log or snapshot once an admin adds it. After that,
     * on every restart, the log or snapshot overrides this.
     */
    static Membership initialMembership(NodeSettings settings) {
        if (settings.join()) {
            return Membership.EMPTY;
        }
        Map<String, String> addresses = new TreeMap<>();
        settings.members().forEach((id, address) -> addresses.put(id, address.toString()));
        return new Membership(new TreeSet<>(settings.members().keySet()), Set.of(), addresses);
    }

    /** Opens everything; on failure closes what was opened and rethrows. */
    public static RunningNode start(NodeSettings settings, ThreadFactory threads) throws Exception {
        return new RunningNode(settings, null, threads, NodeMetrics.NONE);
    }

    /**
     * @param credentials this node's certificate and key ({@link TransportSecurity}); null sends frames in
     *                    clear text and lets anyone join
     */
    public static RunningNode start(NodeSettings settings, NodeCredentials credentials, ThreadFactory threads)
            throws Exception {
        return new RunningNode(settings, credentials, threads, NodeMetrics.NONE);
    }

    /** As {@link #start(NodeSettings, NodeCredentials, ThreadFactory)}, reporting its work to {@code metrics}. */
    public static RunningNode start(NodeSettings settings, NodeCredentials credentials, ThreadFactory threads,
                                    NodeMetrics metrics) throws Exception {
        return new RunningNode(settings, credentials, threads, metrics);
    }

    public NodeSettings settings() {
        return settings;
    }

    public KvLimits limits() {
        return limits;
    }

    /**
     * Replicates a write from this node (forwarded to the leader when this node follows) and returns
     * the state machine's result.
     *
     * @throws io.raftstore.kv.KvValidationException when the command breaks a limit (nothing written)
     * @throws RequestFailedException                  when no leader or quorum answered in time
     */
    public KvResult write(KvCommand command, long clientId, long sequence) {
        return timed("write", () -> {
            limits.validate(command);
            return KvCodec.decodeResult(await(driver.propose(KvCodec.encode(command), clientId, sequence)));
        });
    }

    /** Answers a Get or Scan at the given consistency. */
    public KvResult read(KvCommand query, ReadConsistency consistency) {
        return timed(READ_OPERATIONS.get(consistency), () -> {
            limits.validate(query);
            if (consistency == ReadConsistency.STALE) {
                return stateMachine.read(query);
            }
            return await(driver.read(consistency, () -> stateMachine.read(query)));
        });
    }

    /** Runs a client request and reports its latency and outcome to the metrics. */
    private KvResult timed(String operation, Supplier<KvResult> request) {
        long started = System.nanoTime();
        String outcome = "error";
        try {
            KvResult result = request.get();
            outcome = "ok";
            return result;
        } catch (RequestFailedException e) {
            outcome = e.reason().name().toLowerCase(Locale.ROOT);
            throw e;
        } catch (KvValidationException e) {
            outcome = "invalid";
            throw e;
        } finally {
            metrics.request(operation, outcome, System.nanoTime() - started);
        }
    }

    private <T> T await(CompletableFuture<T> future) {
        try {
            // The driver fails the request at its own deadline; this one only guards against a stuck loop.
            return future.get(settings.requestTimeoutMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new RequestFailedException(FailureReason.TIMEOUT, status().leaderId(),
                    "unavailable: no answer within " + settings.requestTimeoutMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestFailedException(FailureReason.TIMEOUT, null, "interrupted while waiting");
        }
    }

    public NodeStatus status() {
        return driver.status();
    }

    /** The latest snapshot's index (taken here or installed from the leader); 0 before the first. */
    public long snapshotIndex() {
        return driver.snapshotIndex();
    }

    /** This node's data directory (log, state, snapshots, history), for sizes and free space. */
    public Path dataDir() {
        return settings.dataDir();
    }

    /** Snapshots this node's state machine and compacts its log now; see {@link NodeDriver#snapshotNow()}. */
    public SnapshotReport snapshotNow() {
        return await(driver.snapshotNow());
    }

    /**
     * Adds {@code nodeId} as a learner reachable at {@code address}, from any node, and waits until the
     * change is committed. The new node must run in join mode ({@link NodeSettings#JOIN}).
     *
     * @throws IllegalArgumentException for a malformed id or address (nothing proposed)
     * @throws RequestFailedException   REJECTED with the reason, or unavailable
     */
    public Membership addLearner(String nodeId, MemberAddress address) {
        return change(new ConfigChange(ConfigChange.Type.ADD_LEARNER, validId(nodeId), address.toString()));
    }

    /** Makes the learner {@code nodeId} a voter once it has caught up; waits until committed. */
    public Membership promote(String nodeId) {
        return change(new ConfigChange(ConfigChange.Type.PROMOTE_LEARNER, validId(nodeId)));
    }

    /** Removes a voter or learner (this node, even the leader, included); waits until committed. */
    public Membership removeMember(String nodeId) {
        return change(new ConfigChange(ConfigChange.Type.REMOVE_MEMBER, validId(nodeId)));
    }

    private Membership change(ConfigChange change) {
        Membership after = await(driver.changeMembership(change));
        LOG.info("RaftStore membership change " + change.type() + " " + change.nodeId() + " committed: voters "
                + after.voters() + ", learners " + after.learners());
        return after;
    }

    private static String validId(String nodeId) {
        if (nodeId == null || !nodeId.matches(NodeSettings.NODE_ID_PATTERN)) {
            throw new IllegalArgumentException("'" + nodeId + "' is not a node id: 1-64 letters, digits, '.', '_' or '-'");
        }
        return nodeId;
    }

    /**
     * Every member of the configuration this node knows (the latest, which takes effect when appended)
     * with its address: the replicated one, else the configured one; null when neither is known.
     */
    public Map<String, MemberAddress> members() {
        Membership m = driver.status().membership();
        Map<String, MemberAddress> out = new TreeMap<>();
        for (String id : m.all()) {
            String replicated = m.addressOf(id);
            var configured = settings.members().get(id);
            out.put(id, replicated != null ? MemberAddress.parse(replicated)
                    : configured != null ? new MemberAddress(configured.toString(), null) : null);
        }
        return out;
    }

    /**
     * Writes a consistent copy of this node's database and latest snapshot into the new directory
     * {@code target} while the node keeps running (writes wait for the copy); see {@link H2Backup}.
     */
    public void backup(Path target) {
        storage.backup(target);
    }

    public Set<String> reachablePeers() {
        return driver.reachablePeers();
    }

    public List<FailoverEvent> history(int limit) {
        return driver.history(limit);
    }

    /** When this node lost and regained each peer, oldest first (see {@link ReachabilityEvent}). */
    public List<ReachabilityEvent> reachability(int limit) {
        return driver.reachability(limit);
    }

    /** Hands leadership over if this node leads; returns the leader known afterwards. */
    public String transferLeadership(String target, long timeoutMillis) throws InterruptedException {
        return driver.transferLeadership(target, timeoutMillis);
    }

    /** Event loop running and ticking. */
    public boolean alive() {
        return driver.alive();
    }

    /** A leader is known and this node has applied within {@link NodeSettings#readyMaxLag()} of the commit index. */
    public boolean ready() {
        NodeStatus s = driver.status();
        return driver.alive() && s.leaderId() != null && s.commitIndex() - stateMachine.appliedIndex() <= settings.readyMaxLag();
    }

    /**
     * If this node leads, hands leadership to another voter and waits (bounded) until it leads; the node
     * keeps running as a follower. The first step of a graceful stop, which may be taken early.
     */
    public void handOver() throws InterruptedException {
        driver.handOver(handoverMillis());
    }

    /** Graceful stop: a leader hands over first, then loop, transport, history and storage close. */
    public void shutdown() throws InterruptedException {
        driver.shutdown(handoverMillis());
        close();
    }

    private long handoverMillis() {
        return Math.max(500, settings.tickMillis() * settings.electionTicks() * 4L);
    }

    @Override
    public void close() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                LOG.warning("closing " + opened.get(i) + " failed: " + e);
            }
        }
        opened.clear();
    }
}
