package io.raftstore.core.scenario;

import io.raftstore.core.Incarnation;
import io.raftstore.core.LeaderChange;
import io.raftstore.core.LogEntry;
import io.raftstore.core.Membership;
import io.raftstore.core.RaftConfig;
import io.raftstore.core.RaftNode;
import io.raftstore.core.ReadState;
import io.raftstore.core.Ready;
import io.raftstore.core.ReadyPersister;
import io.raftstore.core.RequestFailure;
import io.raftstore.core.Role;
import io.raftstore.core.message.RaftMessage;
import io.raftstore.core.storage.RaftStorage;
import io.raftstore.core.storage.memory.MemoryHardStateStore;
import io.raftstore.core.storage.memory.MemoryLogStore;
import io.raftstore.core.storage.memory.MemorySnapshotStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A hand-driven cluster for scenario tests: messages wait in a queue until a test delivers them, drops
 * them or cuts links, so each test can stage exactly the situation a rule of the paper speaks about.
 * Each node is driven through the {@link Ready} checklist in order.
 */
final class TestCluster {

    /** One node with its durable parts (which survive {@link #crash}) and what it reported. */
    static final class Node {
        final String id;
        RaftConfig config;
        MemoryLogStore log = new MemoryLogStore();
        MemoryHardStateStore hardState = new MemoryHardStateStore();
        MemorySnapshotStore snapshots = new MemorySnapshotStore();
        RecordingStateMachine stateMachine = new RecordingStateMachine();
        ReadyPersister persister;
        RaftNode raft;
        final List<ReadState> reads = new ArrayList<>();
        final List<RequestFailure> failures = new ArrayList<>();
        final List<LeaderChange> leaderChanges = new ArrayList<>();
        final Map<Long, String> results = new LinkedHashMap<>();
        /** Every Ready this node produced, in order. */
        final List<Ready> readies = new ArrayList<>();
        /** Writes a leader's new entries unforced where the Ready allows it, to be {@link #sync}ed by the test. */
        boolean defersSyncs;
        /** The last entry written unforced and not yet synced, as (index, term); null when none. */
        long[] unsynced;

        Node(String id, RaftConfig config) {
            this.id = id;
            this.config = config;
        }

        RaftStorage storage() {
            return new RaftStorage(log, hardState, snapshots);
        }

        Role role() {
            return raft.status().role();
        }

        long term() {
            return raft.status().term();
        }
    }

    final Map<String, Node> nodes = new LinkedHashMap<>();
    final List<RaftMessage> network = new ArrayList<>();
    /** Messages matching this are dropped instead of queued. */
    Predicate<RaftMessage> drop = m -> false;
    final List<RaftMessage> sent = new ArrayList<>();
    /** Hears what happens, one line an event (the interaction tests print it); silent by default. */
    Consumer<String> trace = line -> { };
    private final long seed;
    /** Incarnations handed to new data directories, as a node's driver would (deterministic here). */
    private long incarnations;

    /** A cluster of {@code n} voters n1..nN with default settings changed by {@code tune}. */
    TestCluster(int n, Function<RaftConfig, RaftConfig> tune) {
        this(n, tune, 7);
    }

    TestCluster(int n, Function<RaftConfig, RaftConfig> tune, long seed) {
        this.seed = seed;
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = "n" + (i + 1);
        }
        Membership m = Membership.ofVoters(ids);
        for (String id : ids) {
            add(id, tune.apply(RaftConfig.defaults(id, m).withTimeouts(1, 10, 100)));
        }
    }

    TestCluster(int n) {
        this(n, c -> c);
    }

    /** Adds (and starts) a node with its own configuration, e.g. a joining node with empty membership. */
    Node add(String id, RaftConfig config) {
        Node node = new Node(id, config);
        nodes.put(id, node);
        start(node);
        return node;
    }

    private void start(Node node) {
        node.persister = new ReadyPersister(node.storage(), node.stateMachine);
        node.persister.recover();
        Incarnation.ensure(node.storage(), () -> ++incarnations);
        node.raft = new RaftNode(node.config, node.storage(), node.stateMachine.appliedIndex(),
                new Random(seed * 31 + node.id.hashCode()));
    }

    Node node(String id) {
        return nodes.get(id);
    }

    /** Crash: the node loses everything it had not persisted; it is down until {@link #restart}. */
    void crash(String id) {
        node(id).raft = null;
        network.removeIf(m -> m.to().equals(id));
    }

    void restart(String id) {
        start(node(id));
    }

    /** Restarts with a state machine that kept nothing, so committed entries must be applied again. */
    void restartWithEmptyStateMachine(String id) {
        node(id).stateMachine = new RecordingStateMachine();
        start(node(id));
    }

    /**
     * An operator wipes the node's data directory and starts it again with the same configuration: log,
     * hard state, snapshots and state machine are gone, and it comes back as a new incarnation.
     */
    void wipe(String id) {
        crash(id);
        Node node = node(id);
        node.log = new MemoryLogStore();
        node.hardState = new MemoryHardStateStore();
        node.snapshots = new MemorySnapshotStore();
        node.stateMachine = new RecordingStateMachine();
        start(node);
    }

    boolean isUp(String id) {
        return node(id).raft != null;
    }

    /** Runs the Ready checklist until the node has nothing more to do. */
    void process(Node node) {
        while (node.raft != null && node.raft.hasReady()) {
            Ready rd = node.raft.ready();
            node.readies.add(rd);
            node.persister.persist(rd);
            if (rd.softState() != null) {
                trace.accept(node.id + " is " + rd.softState().role() + " in term " + rd.softState().term()
                        + (rd.softState().leaderId() != null ? ", leader " + rd.softState().leaderId() : ""));
            }
            for (RaftMessage m : rd.messages()) {
                sent.add(m);
                if (!drop.test(m)) {
                    network.add(m);
                } else {
                    trace.accept(MessageLine.of(m) + "  (dropped)");
                }
            }
            if (!rd.committedEntries().isEmpty()) {
                trace.accept(node.id + " applies " + rd.committedEntries().stream().map(MessageLine::entry)
                        .collect(Collectors.joining(", ")));
                List<byte[]> results = node.stateMachine.apply(rd.committedEntries());
                for (int i = 0; i < results.size(); i++) {
                    node.results.put(rd.committedEntries().get(i).index(),
                            new String(results.get(i), StandardCharsets.UTF_8));
                }
            }
            rd.reads().forEach(r -> trace.accept(node.id + " read " + r.requestId() + " may be served at " + r.readIndex()));
            rd.failures().forEach(f -> trace.accept(node.id + " request " + f.requestId() + " failed: " + f.reason()));
            node.reads.addAll(rd.reads());
            node.failures.addAll(rd.failures());
            node.leaderChanges.addAll(rd.leaderChanges());
            if (node.defersSyncs && rd.syncMayFollow()) {
                LogEntry last = rd.entries().get(rd.entries().size() - 1);
                node.unsynced = new long[] {last.index(), last.term()};
                trace.accept(node.id + " wrote up to " + last.index() + " without syncing");
                node.raft.advanceUnsynced(rd);
            } else {
                node.raft.advance(rd);
            }
        }
    }

    /** The sync a deferring node asked for returns: its driver reports it and goes on. */
    void sync(String id) {
        Node node = node(id);
        if (node.unsynced != null) {
            trace.accept(id + " synced up to " + node.unsynced[0]);
            node.raft.synced(node.unsynced[0], node.unsynced[1]);
            node.unsynced = null;
            process(node);
        }
    }

    void processAll() {
        nodes.values().forEach(this::process);
    }

    /** Delivers queued messages (and what they cause) until the network is quiet. Bounded. */
    void stabilize() {
        processAll();
        for (int round = 0; round < 10_000 && !network.isEmpty(); round++) {
            deliverOne();
        }
        if (!network.isEmpty()) {
            throw new AssertionError("network did not quiesce; last messages: " + sent.subList(Math.max(0, sent.size() - 12), sent.size()));
        }
    }

    /** Delivers the oldest queued message. */
    void deliverOne() {
        RaftMessage m = network.remove(0);
        Node to = nodes.get(m.to());
        trace.accept(MessageLine.of(m) + (to == null || to.raft == null ? "  (" + m.to() + " is down)" : ""));
        if (to != null && to.raft != null) {
            to.raft.step(m);
            process(to);
        }
    }

    /** Ticks every live node {@code n} times, stabilizing after each tick. */
    void tick(int n) {
        for (int i = 0; i < n; i++) {
            for (Node node : nodes.values()) {
                if (node.raft != null) {
                    node.raft.tick();
                }
            }
            stabilize();
        }
    }

    void tick(String id, int n) {
        for (int i = 0; i < n; i++) {
            node(id).raft.tick();
            process(node(id));
        }
    }

    /** Cuts every link between the two groups (both directions). */
    void partition(List<String> side) {
        drop = m -> side.contains(m.from()) != side.contains(m.to());
    }

    void isolate(String id) {
        partition(List.of(id));
    }

    void heal() {
        drop = m -> false;
    }

    /** Ticks until exactly one live leader exists and returns it. */
    Node awaitLeader() {
        for (int i = 0; i < 500; i++) {
            List<Node> leaders = leaders();
            if (leaders.size() == 1) {
                stabilize();
                return leaders.get(0);
            }
            tick(1);
        }
        throw new AssertionError("no leader after 500 ticks");
    }

    List<Node> leaders() {
        return nodes.values().stream().filter(n -> n.raft != null && n.role() == Role.LEADER).toList();
    }

    /** Proposes {@code values} on leader {@code id}, then lets every node commit and apply them. */
    void commit(String id, String... values) {
        for (String v : values) {
            node(id).raft.propose(bytes(v));
        }
        stabilize();
        tick(2);
    }

    /** Lets {@code id} win an election now: it times out first. */
    Node elect(String id) {
        tick(id, 2 * node(id).config.electionTicks());
        stabilize();
        if (node(id).role() != Role.LEADER) {
            throw new AssertionError(id + " did not become leader: " + node(id).raft.status());
        }
        return node(id);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
