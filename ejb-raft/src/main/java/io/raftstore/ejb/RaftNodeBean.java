package io.raftstore.ejb;

import io.raftstore.api.InvalidRequestException;
import io.raftstore.api.ReadConsistency;
import io.raftstore.api.StoreUnavailableException;
import io.raftstore.api.Versioned;
import io.raftstore.api.spi.Precondition;
import io.raftstore.api.spi.PreparedTransaction;
import io.raftstore.api.spi.ScanPage;
import io.raftstore.api.spi.StoreGatewayRegistry;
import io.raftstore.api.spi.StoreLimits;
import io.raftstore.core.FailureReason;
import io.raftstore.ejb.gateway.KvNode;
import io.raftstore.ejb.gateway.KvStoreGateway;
import io.raftstore.ejb.metrics.MetricsExport;
import io.raftstore.ejb.resp.RespEndpoint;
import io.raftstore.ejb.resp.RoleProbe;
import io.raftstore.ejb.view.HistoryEntry;
import io.raftstore.ejb.view.MemberView;
import io.raftstore.ejb.view.MembershipView;
import io.raftstore.ejb.view.NodeRequestException;
import io.raftstore.ejb.view.NodeView;
import io.raftstore.ejb.view.ReachabilityEntry;
import io.raftstore.ejb.view.SnapshotOutcome;
import io.raftstore.ejb.view.WriteOutcome;
import io.raftstore.kv.Condition;
import io.raftstore.kv.KvCommand;
import io.raftstore.kv.KvLimits;
import io.raftstore.kv.KvResult;
import io.raftstore.kv.KvValidationException;
import io.raftstore.node.EventTrace;
import io.raftstore.node.MemberAddress;
import io.raftstore.node.NodeMetrics;
import io.raftstore.node.NodeSettings;
import io.raftstore.node.RequestFailedException;
import io.raftstore.node.RunningNode;
import io.raftstore.node.TransportSecurity;
import io.raftstore.resp.server.RespServer;
import io.raftstore.transport.security.NodeCredentials;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Local;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.metrics.MetricRegistry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node of this server: at startup reads and validates the configuration (MicroProfile Config), opens
 * storage, joins the JGroups channel and starts the event loop, all on threads from the container's
 * {@link ManagedThreadFactory}; at shutdown a leader hands leadership over before everything closes.
 *
 * <p>Bean-managed concurrency: the node is thread-safe, and a container lock would serialise every request.
 * Transactions are only supported, never started: the node enlists in none (the JCA adapter carries an
 * application's transaction itself), and starting one per call cost every REST request a JTA round.
 */
@Singleton
@Startup
@Local(RaftStoreLocal.class)
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class RaftNodeBean implements RaftStoreLocal {

    private static final Logger LOG = Logger.getLogger(RaftNodeBean.class.getName());

    @Resource
    private ManagedThreadFactory threads;

    /**
     * The application's metrics registry. Injected into a field, not looked up: Liberty's producer picks the
     * registry from the injection point, and a programmatic lookup has none (it answered null).
     */
    @Inject
    private Instance<MetricRegistry> metricRegistry;

    private volatile RunningNode node;
    /** Where the node reports its work; the gauges read {@link #node} (null while starting or stopping). */
    private NodeMetrics metrics = NodeMetrics.NONE;
    private volatile String startupFailure;
    /** Published for the JCA adapter; direct calls are safe because this bean is thread-safe (bean-managed concurrency). */
    private KvStoreGateway gateway;
    /** Hand leadership over at SIGTERM and when the JVM begins to exit; see {@link #handOverNow()}. */
    private TermSignalHandover handOverAtTerm;
    private Thread handOverAtExit;
    /** The Redis-protocol endpoint, or null when off (raftstore.resp.port=-1). */
    private volatile RespServer resp;

    @EJB
    private RoleProbe roleProbe;

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED) // SUPPORTS is not allowed on lifecycle callbacks
    void start() {
        NodeSettings settings;
        NodeCredentials credentials;
        try {
            Config config = ConfigProvider.getConfig();
            PlainHttpGuard.check(key -> config.getOptionalValue(key, String.class));
            PlainHttpGuard.checkResp(key -> config.getOptionalValue(key, String.class));
            settings = NodeSettings.from(key -> config.getOptionalValue(key, String.class));
            credentials = TransportSecurity.credentials(settings.nodeId(), key -> config.getOptionalValue(key, String.class));
        } catch (NodeSettings.InvalidSettingException | IllegalStateException e) {
            startupFailure = (e instanceof NodeSettings.InvalidSettingException ? "invalid setting " : "") + e.getMessage();
            LOG.severe("RaftStore node NOT started: " + startupFailure);
            throw e;
        }
        try {
            metrics = MetricsExport.open(metricRegistry, () -> node);
            node = RunningNode.start(settings, credentials, threads, metrics);
            MetricsExport.started(metrics, node);
        } catch (Exception e) {
            startupFailure = e.toString();
            LOG.log(Level.SEVERE, "RaftStore node " + settings.nodeId() + " NOT started: " + e.getMessage(), e);
            throw new IllegalStateException("RaftStore node " + settings.nodeId() + " could not start: " + e.getMessage(), e);
        }
        handOverAtExit = new Thread(() -> {
            EventTrace.log("JVM shutdown hook");
            handOverNow();
        }, "raftstore-handover-" + settings.nodeId());
        Runtime.getRuntime().addShutdownHook(handOverAtExit);
        handOverAtTerm = TermSignalHandover.install(this::handOverNow);
        gateway = new KvStoreGateway(kvNode());
        StoreGatewayRegistry.register(gateway);
        startResp(settings.nodeId());
        DirectNode.publish(this);
    }

    /** The Redis-protocol endpoint; a setting it refuses or a port it cannot bind stops the start, saying which. */
    private void startResp(String nodeId) {
        Config config = ConfigProvider.getConfig();
        try {
            resp = RespEndpoint.start(key -> config.getOptionalValue(key, String.class), gateway, () -> node, roleProbe,
                    threads);
        } catch (IOException | IllegalArgumentException e) {
            startupFailure = "Redis-protocol endpoint: " + e.getMessage();
            LOG.severe("RaftStore node " + nodeId + " NOT started: " + startupFailure);
            stop();
            throw new IllegalStateException("RaftStore node " + nodeId + " could not start: " + startupFailure, e);
        }
        if (resp != null) {
            LOG.info("RaftStore node " + nodeId + " serves the Redis protocol on " + resp.address());
        }
    }

    /**
     * A leader hands leadership over and stays a follower until {@link #stop()}; run at SIGTERM by
     * {@link TermSignalHandover} and, for any other exit of the JVM, by a shutdown hook. Liberty calls
     * {@code @PreDestroy} only after it has quiesced (closed its HTTP port and waited for requests: 20 ms to
     * 1 s measured after the signal) and stopped the other applications; meanwhile this node kept leading
     * while the stop's CPU work slowed every node of a shared machine, and a transfer started that late took
     * 25-57 ms of writes (docs/benchmarks.md). Not a container thread, and it needs none: it only queues a
     * task on the node's loop and reads its published status, both thread-safe.
     */
    private void handOverNow() {
        RunningNode n = node;
        if (n != null) {
            try {
                n.handOver();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "handing leadership over before the JVM exits failed", e);
            }
        }
    }

    @PreDestroy
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void stop() {
        EventTrace.log("PreDestroy");
        DirectNode.withdraw(this);
        RespServer r = resp;
        resp = null;
        if (r != null) {
            r.close(); // clients see their connections close and reconnect to another node
        }
        if (handOverAtTerm != null) {
            handOverAtTerm.uninstall();
        }
        if (handOverAtExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(handOverAtExit); // the application stops, the JVM may not
            } catch (IllegalStateException exiting) {
                // the JVM is exiting: the hook runs or ran; shutdown() below waits for its transfer
            }
        }
        if (gateway != null) {
            StoreGatewayRegistry.unregister(gateway);
        }
        MetricsExport.close(metrics);
        RunningNode n = node;
        node = null;
        if (n != null) {
            try {
                n.shutdown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                n.close();
            }
            LOG.info("RaftStore node " + n.settings().nodeId() + " stopped");
        }
    }

    private RunningNode node() {
        RunningNode n = node;
        if (n == null) {
            throw new RequestFailedException(FailureReason.NOT_LEADER, null, "unavailable: this node is not running"
                    + (startupFailure != null ? " (" + startupFailure + ")" : ""));
        }
        return n;
    }

    /**
     * The node as the gateway sees it: its own key-value commands and failures, which the gateway turns into
     * the API's. Direct calls, not through the container: the node is thread-safe.
     */
    private KvNode kvNode() {
        return new KvNode() {
            @Override
            public KvResult write(KvCommand command, long clientId, long sequence) {
                return RaftNodeBean.this.write(command, clientId, sequence);
            }

            @Override
            public KvResult read(KvCommand query, ReadConsistency consistency) {
                return node().read(query, engine(consistency));
            }

            @Override
            public KvLimits limits() {
                return node().limits();
            }
        };
    }

    private KvResult write(KvCommand command, long clientId, long sequence) {
        if (!EventTrace.ON) {
            return node().write(command, clientId, sequence);
        }
        EventTrace.log("client write " + clientId + "/" + sequence + " begins");
        try {
            return node().write(command, clientId, sequence);
        } finally {
            EventTrace.log("client write " + clientId + "/" + sequence + " ends");
        }
    }

    /**
     * The API's read consistency as the engine's. The two enums share their name, so the one place that converts
     * must spell one of them out in full.
     */
    @SuppressWarnings("checkstyle:noQualifiedNames")
    private static io.raftstore.core.ReadConsistency engine(ReadConsistency consistency) {
        return io.raftstore.core.ReadConsistency.valueOf(consistency.name());
    }

    /** Runs one request of the web module, its failures turned into the boundary's exceptions. */
    private static <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (RequestFailedException e) {
            throw new NodeRequestException(e.unavailable(), e.leaderId(), e.getMessage(), e);
        } catch (KvValidationException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    @Override
    public Optional<Versioned> get(String key, ReadConsistency consistency) {
        KvResult r = call(() -> node().read(new KvCommand.Get(key), engine(consistency)));
        return r instanceof KvResult.Value v ? Optional.of(new Versioned(v.key(), v.value(), v.version()))
                : Optional.empty();
    }

    @Override
    public ScanPage scan(String prefix, int limit, ReadConsistency consistency) {
        KvResult r = call(() -> node().read(new KvCommand.Scan(prefix, limit), engine(consistency)));
        if (r instanceof KvResult.ScanResult scan) {
            return new ScanPage(scan.entries().stream().map(v -> new Versioned(v.key(), v.value(), v.version()))
                    .toList(), scan.more());
        }
        throw new IllegalStateException("unexpected result " + r);
    }

    @Override
    public WriteOutcome put(String key, byte[] value, Precondition condition, long clientId, long sequence) {
        KvCommand command;
        if (condition == null) {
            command = new KvCommand.Put(key, value);
        } else if (condition instanceof Precondition.Absent) {
            command = new KvCommand.PutIfAbsent(key, value);
        } else if (condition instanceof Precondition.VersionEquals v) {
            command = new KvCommand.CompareAndSet(key, v.version(), value);
        } else {
            command = new KvCommand.Batch(List.of(new Condition.KeyExists(key)), List.of(new KvCommand.Put(key, value)));
        }
        KvResult r = call(() -> write(command, clientId, sequence));
        if (r instanceof KvResult.BatchApplied b) {
            r = b.results().get(0);
        }
        return Views.outcome(r);
    }

    @Override
    public WriteOutcome delete(String key, Long ifVersion, long clientId, long sequence) {
        KvCommand command = ifVersion == null ? KvCommand.Delete.of(key) : KvCommand.Delete.ifVersion(key, ifVersion);
        return Views.outcome(call(() -> write(command, clientId, sequence)));
    }

    @Override
    public StoreLimits limits() {
        KvLimits l = call(() -> node().limits());
        return new StoreLimits(l.maxValueBytes(), l.maxBatchOps(), l.maxScanLimit());
    }

    @Override
    public NodeView status() {
        return Views.node(call(() -> node().status()));
    }

    @Override
    public Set<String> reachablePeers() {
        return call(() -> node().reachablePeers());
    }

    @Override
    public Map<String, MemberView> members() {
        return Views.members(call(() -> node().members()));
    }

    @Override
    public SnapshotOutcome snapshotNow() {
        return Views.snapshot(call(() -> node().snapshotNow()));
    }

    @Override
    public MembershipView addLearner(String nodeId, String raftAddress, String httpUrl) {
        MemberAddress address = MemberAddress.of(nodeId, raftAddress, httpUrl);
        return Views.membership(call(() -> node().addLearner(nodeId, address)));
    }

    @Override
    public MembershipView promote(String nodeId) {
        return Views.membership(call(() -> node().promote(nodeId)));
    }

    @Override
    public MembershipView removeMember(String nodeId) {
        return Views.membership(call(() -> node().removeMember(nodeId)));
    }

    @Override
    public List<HistoryEntry> history(int limit) {
        return call(() -> node().history(limit)).stream().map(Views::history).toList();
    }

    @Override
    public List<ReachabilityEntry> reachability(int limit) {
        return call(() -> node().reachability(limit)).stream()
                .map(e -> new ReachabilityEntry(e.time(), e.peer(), e.reachable())).toList();
    }

    @Override
    public String transferLeadership(String target) {
        return call(() -> {
            try {
                return node().transferLeadership(target, 2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        });
    }

    @Override
    public void backup(Path target) {
        call(() -> {
            node().backup(target);
            return null;
        });
    }

    @Override
    public List<PreparedTransaction> preparedTransactions() {
        return viaGateway(() -> new KvStoreGateway(kvNode()).preparedTransactions());
    }

    @Override
    public void resolvePrepared(String id, boolean commit) {
        viaGateway(() -> {
            KvStoreGateway g = new KvStoreGateway(kvNode());
            if (commit) {
                g.commitPrepared(id);
            } else {
                g.rollbackPrepared(id);
            }
            return null;
        });
    }

    /** Runs a request through the adapter's gateway, its unavailability turned into the boundary's exception. */
    private static <T> T viaGateway(Supplier<T> request) {
        try {
            return request.get();
        } catch (StoreUnavailableException e) {
            throw new NodeRequestException(true, null, e.getMessage(), e);
        }
    }

    @Override
    public boolean started() {
        return node != null;
    }

    @Override
    public boolean live() {
        RunningNode n = node;
        return n != null && n.alive();
    }

    @Override
    public boolean ready() {
        RunningNode n = node;
        return n != null && n.ready();
    }

    @Override
    public String startupFailure() {
        return startupFailure;
    }
}
