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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs one leadership transfer in a private, in-memory cluster of three engines, so that a JVM has loaded,
 * linked and run every piece of engine code a real transfer needs before it needs one.
 *
 * <p>Why: a node usually hands leadership over once in its life, when it stops, and the node that takes over
 * has often never led in its JVM either. Measured on a 2-core machine with three Liberty servers, code run
 * for the first time (classes loaded through the application's class loader, lambdas linked, interpreted
 * methods) made a graceful stop's transfer take 30-60 ms where the same transfer in JVMs that had done one
 * before took about 5 ms from the signal to the new leader's first append.
 *
 * <p>Deterministic (a fixed seed), bounded, and isolated: it shares nothing with the node's own engine.
 * Messages travel through {@link MessageCodec} as they would between processes.
 */
public final class Rehearsal {

    private Rehearsal() {
    }

    /** Elects a leader, replicates, reads, hands leadership to the best voter with writes refused meanwhile. */
    public static void leadershipTransfer() {
        Membership members = Membership.ofVoters("r1", "r2", "r3");
        Map<String, Engine> engines = new LinkedHashMap<>();
        for (String id : members.voters()) {
            engines.put(id, new Engine(RaftConfig.defaults(id, members).withTimeouts(1, 10, 100)
                    .withPeerLossHints(true)));
        }
        ArrayDeque<byte[]> network = new ArrayDeque<>();
        Engine first = engines.get("r1");
        for (int i = 0; i < 40 && first.node.status().role() != Role.LEADER; i++) {
            first.node.tick();
            settle(engines, network);
        }
        Engine leader = leader(engines);
        leader.node.propose(new byte[16], 1, 1);
        leader.node.read(1, ReadConsistency.LINEARIZABLE);
        settle(engines, network);
        leader.node.transferLeadership(null);
        try {
            leader.node.propose(new byte[16], 1, 2);
        } catch (RequestRejectedException expected) {
            // refused during the transfer, as a real client's write would be
        }
        settle(engines, network);
        Engine next = leader(engines);
        if (next == null || next == leader) {
            throw new IllegalStateException("the rehearsed leadership transfer did not complete");
        }
        next.node.propose(new byte[16], 1, 2);
        settle(engines, network);
        for (Engine e : engines.values()) {
            e.node.tick();
        }
        settle(engines, network);
    }

    private static Engine leader(Map<String, Engine> engines) {
        return engines.values().stream().filter(e -> e.node.status().role() == Role.LEADER).findFirst().orElse(null);
    }

    /** Works every Ready and delivers every message until nothing moves (bounded). */
    private static void settle(Map<String, Engine> engines, ArrayDeque<byte[]> network) {
        for (int round = 0; round < 1_000; round++) {
            for (Engine e : engines.values()) {
                e.work(network);
            }
            if (network.isEmpty()) {
                return;
            }
            for (RaftMessage m : MessageCodec.decodeBatch(network.poll())) {
                engines.get(m.to()).node.step(m);
            }
        }
    }

    private static final class Engine {
        final NoState state = new NoState();
        final RaftStorage storage = new RaftStorage(new MemoryLogStore(), new MemoryHardStateStore(),
                new MemorySnapshotStore());
        final ReadyPersister persister = new ReadyPersister(storage, state);
        final RaftNode node;

        Engine(RaftConfig config) {
            node = new RaftNode(config, storage, 0, new SplittableRandom(config.nodeId().hashCode()));
        }

        void work(ArrayDeque<byte[]> network) {
            while (node.hasReady()) {
                Ready rd = node.ready();
                persister.persist(rd);
                Map<String, List<RaftMessage>> byDestination = new LinkedHashMap<>();
                for (RaftMessage m : rd.messages()) {
                    byDestination.computeIfAbsent(m.to(), k -> new ArrayList<>()).add(m);
                }
                byDestination.values().forEach(batch -> network.add(MessageCodec.encodeBatch(batch)));
                state.apply(rd.committedEntries());
                node.advance(rd);
            }
        }
    }

    /** Applies nothing but the index. */
    private static final class NoState implements StateMachine {
        private long applied;

        @Override
        public long appliedIndex() {
            return applied;
        }

        @Override
        public List<byte[]> apply(List<LogEntry> entries) {
            List<byte[]> results = new ArrayList<>(entries.size());
            for (LogEntry e : entries) {
                applied = e.index();
                results.add(new byte[0]);
            }
            return results;
        }

        @Override
        public void writeSnapshot(OutputStream out) {
            throw new UnsupportedOperationException("the rehearsal never snapshots");
        }

        @Override
        public void restore(SnapshotMeta meta, InputStream in) {
            throw new UnsupportedOperationException("the rehearsal never snapshots");
        }
    }
}
