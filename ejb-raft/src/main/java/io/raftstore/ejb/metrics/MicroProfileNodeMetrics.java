package io.raftstore.ejb.metrics;

import io.raftstore.core.Membership;
import io.raftstore.core.NodeStatus;
import io.raftstore.core.Role;
import io.raftstore.node.NodeMetrics;
import io.raftstore.node.RunningNode;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link NodeMetrics} on MicroProfile Metrics 5.1, plus gauges that read the node's published status at each
 * scrape. Every name starts with {@code raftstore.} (Prometheus: {@code raftstore_}); docs/operations.md lists
 * them. Counters with a label (cause, operation, outcome) are made on first use and kept, since the registry's
 * own lookup builds a metric id per call.
 */
final class MicroProfileNodeMetrics implements NodeMetrics {

    private static final String PREFIX = "raftstore.";

    private final MetricRegistry registry;
    private final Supplier<RunningNode> node;
    private final Counter proposals;
    private final Counter forwarded;
    private final Counter applied;
    private final Counter readRounds;
    private final Counter reads;
    private final Counter campaigns;
    private final Timer fsync;
    private final Histogram fsyncEntries;
    private final Map<String, Counter> leaderChanges = new ConcurrentHashMap<>();
    private final Map<String, Counter> leaderLosses = new ConcurrentHashMap<>();
    private final Map<String, Timer> requests = new ConcurrentHashMap<>();
    /** Members whose per-member gauges exist; grows with the membership, never shrinks (a removed member reads NaN). */
    private final Set<String> members = ConcurrentHashMap.newKeySet();
    private volatile Membership lastMembership;

    private MicroProfileNodeMetrics(MetricRegistry registry, Supplier<RunningNode> node) {
        this.registry = registry;
        this.node = node;
        this.proposals = counter("proposals", "client writes and membership changes this node appended as leader");
        this.forwarded = counter("forwarded.requests", "writes and membership changes this node forwarded to the leader");
        this.applied = counter("applied.entries", "committed entries applied to the state machine");
        this.readRounds = counter("read.rounds", "confirmed read-index rounds (one serves every read queued before it)");
        this.reads = counter("read.index.reads", "linearizable and lease reads released by a confirmed read index");
        this.campaigns = counter("campaigns", "pre-vote or vote rounds this node began");
        this.fsync = registry.timer(Metadata.builder().withName(PREFIX + "fsync")
                .withDescription("time of one synced log write (entries and hard state of a Ready, group commit)").build());
        this.fsyncEntries = registry.histogram(Metadata.builder().withName(PREFIX + "fsync.batch")
                .withDescription("log entries made durable by one sync").withUnit("entries").build());
    }

    /** Registers the gauges in the application's registry and returns the event side. */
    static MicroProfileNodeMetrics register(MetricRegistry registry, Supplier<RunningNode> node) {
        if (registry == null) {
            throw new IllegalStateException("the container gave no MetricRegistry");
        }
        // A restarted application in the same server would find its predecessor's gauges, bound to a dead bean.
        registry.removeMatching((id, metric) -> id.getName().startsWith(PREFIX));
        MicroProfileNodeMetrics metrics = new MicroProfileNodeMetrics(registry, node);
        metrics.registerGauges();
        return metrics;
    }

    void unregister() {
        registry.removeMatching((id, metric) -> id.getName().startsWith(PREFIX));
    }

    private Counter counter(String name, String description, Tag... tags) {
        return registry.counter(Metadata.builder().withName(PREFIX + name).withDescription(description).build(), tags);
    }

    private void registerGauges() {
        for (Role role : Role.values()) {
            gauge("role", "1 for this node's current Raft role, 0 for the others", MetricUnits.NONE,
                    s -> s.role() == role ? 1 : 0, new Tag("role", role.name().toLowerCase(Locale.ROOT)));
        }
        gauge("term", "current Raft term", MetricUnits.NONE, NodeStatus::term);
        gauge("leader.known", "1 when this node knows a leader", MetricUnits.NONE, s -> s.leaderId() != null ? 1 : 0);
        gauge("commit.index", "highest log index known committed", MetricUnits.NONE, NodeStatus::commitIndex);
        gauge("applied.index", "highest log index applied to the state machine", MetricUnits.NONE, NodeStatus::appliedIndex);
        gauge("log.first.index", "first index still in the log (compaction moves it)", MetricUnits.NONE, NodeStatus::firstIndex);
        gauge("log.last.index", "last index in the log", MetricUnits.NONE, NodeStatus::lastIndex);
        gauge("log.entries", "entries held in the log", MetricUnits.NONE, s -> Math.max(0, s.lastIndex() - s.firstIndex() + 1));
        registry.gauge(Metadata.builder().withName(PREFIX + "snapshot.index")
                .withDescription("index of the latest snapshot, taken here or installed from the leader").build(),
                () -> {
                    RunningNode n = node.get();
                    return n == null ? Double.NaN : (double) n.snapshotIndex();
                });
        for (DataSizes.Part part : DataSizes.Part.values()) {
            registry.gauge(Metadata.builder().withName(PREFIX + "data.size")
                    .withDescription("bytes on disk in the data directory, by part (wal: the log, state: the key-value "
                            + "database, snapshots, other: hard state, history and the rest)").withUnit(MetricUnits.BYTES).build(),
                    () -> sizes(n -> DataSizes.of(n.dataDir()).bytes(part)), new Tag("part", part.label()));
        }
        registry.gauge(Metadata.builder().withName(PREFIX + "disk.free").withDescription(
                "bytes usable by the node on the data directory's file system").withUnit(MetricUnits.BYTES).build(),
                () -> sizes(n -> DataSizes.usableSpace(n.dataDir())));
        registry.gauge(Metadata.builder().withName(PREFIX + "disk.total").withDescription(
                "size of the data directory's file system").withUnit(MetricUnits.BYTES).build(),
                () -> sizes(n -> DataSizes.totalSpace(n.dataDir())));
    }

    void membersOf(RunningNode n) {
        refreshMembers(n.status().membership());
    }

    private Number sizes(Function<RunningNode, Long> size) {
        RunningNode n = node.get();
        return n == null ? Double.NaN : (double) size.apply(n);
    }

    private void gauge(String name, String description, String unit, Function<NodeStatus, Number> value, Tag... tags) {
        registry.gauge(Metadata.builder().withName(PREFIX + name).withDescription(description).withUnit(unit).build(),
                () -> {
                    RunningNode n = node.get();
                    return n == null ? Double.NaN : value.apply(n.status());
                }, tags);
    }

    /** Gauges per member, for every member not seen before: leader identity, replication, JGroups connection. */
    private synchronized void refreshMembers(Membership membership) {
        if (membership == lastMembership) {
            return;
        }
        lastMembership = membership;
        Set<String> added = new HashSet<>(membership.all());
        added.removeAll(members);
        for (String id : added) {
            members.add(id);
            Tag member = new Tag("member", id);
            gauge("leader", "1 for the member this node takes for the leader", MetricUnits.NONE,
                    s -> id.equals(s.leaderId()) ? 1 : 0, member);
            gauge("follower.match.index", "the leader's match index of this follower (NaN except on the leader)",
                    MetricUnits.NONE, s -> follower(s, id, NodeStatus.PeerStatus::matchIndex), member);
            gauge("follower.lag", "entries this follower lacks of the leader's last index (NaN except on the leader)",
                    MetricUnits.NONE, s -> follower(s, id, p -> Math.max(0, s.lastIndex() - p.matchIndex())), member);
            registry.gauge(Metadata.builder().withName(PREFIX + "peer.connected").withDescription(
                    "1 while this member is in this node's JGroups view (this node itself included)").build(),
                    () -> {
                        RunningNode n = node.get();
                        if (n == null) {
                            return Double.NaN;
                        }
                        return id.equals(n.settings().nodeId()) || n.reachablePeers().contains(id) ? 1 : 0;
                    }, member);
        }
    }

    private static Number follower(NodeStatus s, String id, Function<NodeStatus.PeerStatus, Long> value) {
        for (NodeStatus.PeerStatus p : s.followers()) {
            if (p.id().equals(id)) {
                return value.apply(p);
            }
        }
        return Double.NaN;
    }

    // ---- events from the node (the loop thread, or a request's thread) ----------------------------

    @Override
    public void proposed() {
        proposals.inc();
    }

    @Override
    public void forwarded() {
        forwarded.inc();
    }

    @Override
    public void applied(int entries) {
        applied.inc(entries);
        RunningNode n = node.get();
        if (n != null) {
            // Identity check only: the membership object changes only when a configuration change takes effect.
            refreshMembers(n.status().membership());
        }
    }

    @Override
    public void readsReleased(int count) {
        readRounds.inc();
        reads.inc(count);
    }

    @Override
    public void persisted(long nanos, int entries, boolean synced) {
        if (synced) {
            fsync.update(Duration.ofNanos(nanos));
            fsyncEntries.update(entries);
        }
    }

    @Override
    public void leaderChanged(String cause, boolean newLeaderKnown) {
        String label = cause.toLowerCase(Locale.ROOT);
        if (newLeaderKnown) {
            leaderChanges.computeIfAbsent(label, c -> counter("leader.changes",
                    "a new leader became known to this node, by cause", new Tag("cause", c))).inc();
        } else {
            leaderLosses.computeIfAbsent(label, c -> counter("leader.losses",
                    "this node lost its leader (an election follows), by cause", new Tag("cause", c))).inc();
        }
    }

    @Override
    public void campaigned() {
        campaigns.inc();
    }

    @Override
    public void request(String operation, String outcome, long nanos) {
        requests.computeIfAbsent(operation + ' ' + outcome, k -> registry.timer(Metadata.builder()
                .withName(PREFIX + "request").withDescription("client requests served by this node, by operation and outcome")
                .build(), new Tag("operation", operation), new Tag("outcome", outcome)))
                .update(Duration.ofNanos(nanos));
    }
}
