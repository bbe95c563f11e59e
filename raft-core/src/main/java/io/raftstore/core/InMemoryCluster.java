package io.raftstore.core;

import io.raftstore.core.codec.MessageCodec;
import io.raftstore.core.message.RaftMessage;
import io.raftstore.core.storage.RaftStorage;
import io.raftstore.core.storage.memory.MemoryHardStateStore;
import io.raftstore.core.storage.memory.MemoryLogStore;
import io.raftstore.core.storage.memory.MemorySnapshotStore;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * The engine alone: N nodes in one thread, storage in memory, a state machine that only counts. The engine
 * benchmark measures the consensus logic with it; a node rehearses a leadership transfer with it at start
 * ({@link Rehearsal}). Messages are handed over as objects, or, when asked, encoded and decoded per
 * destination as they would travel between processes.
 */
public final class InMemoryCluster {

    /** Counts applied entries; results are empty so the engine's cost is not hidden behind the state's. */
    public static final class CountingStateMachine implements StateMachine {
        private long applied;

        @Override
        public long appliedIndex() {
            return applied;
        }

        @Override
        public List<byte[]> apply(List<LogEntry> entries) {
            applied = entries.get(entries.size() - 1).index();
            return Collections.nCopies(entries.size(), new byte[0]);
        }

        @Override
        public void writeSnapshot(OutputStream out) {
        }

        @Override
        public void restore(SnapshotMeta meta, InputStream in) {
            applied = meta.index();
        }
    }

    private record Member(RaftNode raft, MemoryLogStore log, ReadyPersister persister, StateMachine stateMachine) {
    }

    /** Deliveries {@link #run} makes at most before it calls the cluster stuck. */
    private static final long MAX_DELIVERIES = 10_000_000;

    private final Map<String, Member> members = new LinkedHashMap<>();
    private final ArrayDeque<RaftMessage> network = new ArrayDeque<>();
    private final boolean encodeMessages;
    private long readsServed;
    private long batchesEncoded;

    /** Nodes n1..n{@code size} with the default configuration; messages handed over as objects. */
    public InMemoryCluster(int size) {
        this(size, UnaryOperator.identity(), false);
    }

    /**
     * @param tune           adjusts each node's default configuration
     * @param encodeMessages send each Ready's messages through {@link MessageCodec}, batched per destination
     */
    public InMemoryCluster(int size, UnaryOperator<RaftConfig> tune, boolean encodeMessages) {
        this.encodeMessages = encodeMessages;
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            ids.add("n" + i);
        }
        Membership m = Membership.ofVoters(ids.toArray(String[]::new));
        for (String id : ids) {
            MemoryLogStore log = new MemoryLogStore();
            RaftStorage storage = new RaftStorage(log, new MemoryHardStateStore(), new MemorySnapshotStore());
            CountingStateMachine sm = new CountingStateMachine();
            RaftNode node = new RaftNode(tune.apply(RaftConfig.defaults(id, m)), storage, 0,
                    new SplittableRandom(id.hashCode()));
            members.put(id, new Member(node, log, new ReadyPersister(storage, sm), sm));
        }
    }

    /** The leader, ticking the nodes in turn until one is elected. */
    public RaftNode leader() {
        for (int t = 0; t < 10_000; t++) {
            RaftNode leader = currentLeader();
            if (leader != null) {
                return leader;
            }
            for (Member mb : members.values()) {
                mb.raft.tick();
            }
            run();
        }
        throw new IllegalStateException("no leader elected");
    }

    /** The node that leads now, or null. */
    public RaftNode currentLeader() {
        for (Member mb : members.values()) {
            if (mb.raft.status().role() == Role.LEADER) {
                return mb.raft;
            }
        }
        return null;
    }

    public List<RaftNode> nodes() {
        return members.values().stream().map(Member::raft).toList();
    }

    /** Each node's applied index, in node order. */
    public List<Long> appliedIndexes() {
        return members.values().stream().map(mb -> mb.stateMachine.appliedIndex()).toList();
    }

    /** Reads the nodes released so far (their Readies' {@link Ready#reads()}). */
    public long readsServed() {
        return readsServed;
    }

    /** Batches of messages that went through the codec so far (none unless encoding was asked for). */
    public long batchesEncoded() {
        return batchesEncoded;
    }

    /** Drives every node and delivers messages until the cluster is quiet. */
    public void run() {
        long deliveries = 0;
        boolean busy = true;
        while (busy) {
            busy = false;
            for (Member mb : members.values()) {
                busy |= drain(mb);
            }
            while (!network.isEmpty()) {
                if (++deliveries > MAX_DELIVERIES) {
                    throw new IllegalStateException("the cluster did not settle within " + MAX_DELIVERIES + " messages");
                }
                RaftMessage msg = network.poll();
                members.get(msg.to()).raft.step(msg);
                busy = true;
            }
        }
    }

    private boolean drain(Member mb) {
        boolean any = false;
        while (mb.raft.hasReady()) {
            any = true;
            Ready rd = mb.raft.ready();
            mb.persister.persist(rd);
            send(rd.messages());
            readsServed += rd.reads().size();
            if (!rd.committedEntries().isEmpty()) {
                mb.stateMachine.apply(rd.committedEntries());
                long last = rd.committedEntries().get(rd.committedEntries().size() - 1).index();
                if (last - mb.log.firstIndex() > 200_000) {
                    mb.log.compact(last - 100_000); // keep memory flat over long runs
                }
            }
            mb.raft.advance(rd);
        }
        return any;
    }

    private void send(List<RaftMessage> messages) {
        if (!encodeMessages) {
            network.addAll(messages);
            return;
        }
        Map<String, List<RaftMessage>> byDestination = new LinkedHashMap<>();
        for (RaftMessage m : messages) {
            byDestination.computeIfAbsent(m.to(), k -> new ArrayList<>()).add(m);
        }
        for (List<RaftMessage> batch : byDestination.values()) {
            network.addAll(MessageCodec.decodeBatch(MessageCodec.encodeBatch(batch)));
            batchesEncoded++;
        }
    }
}
