package io.raftstore.bench;

import io.raftstore.core.LogEntry;
import io.raftstore.core.Membership;
import io.raftstore.core.RaftConfig;
import io.raftstore.core.RaftNode;
import io.raftstore.core.Ready;
import io.raftstore.core.ReadyPersister;
import io.raftstore.core.Role;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.StateMachine;
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

/**
 * The engine alone: N nodes in one thread, messages handed over as objects, storage in memory, a state
 * machine that only counts. What it measures is the cost of the consensus logic itself.
 */
final class InMemoryCluster {

    /** Counts applied entries; results are empty so the engine's cost is not hidden behind the state's. */
    static final class CountingStateMachine implements StateMachine {
        long applied;

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

    private final Map<String, Member> members = new LinkedHashMap<>();
    private final ArrayDeque<RaftMessage> network = new ArrayDeque<>();

    InMemoryCluster(int size) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            ids.add("n" + i);
        }
        Membership m = Membership.ofVoters(ids.toArray(String[]::new));
        for (String id : ids) {
            MemoryLogStore log = new MemoryLogStore();
            RaftStorage storage = new RaftStorage(log, new MemoryHardStateStore(), new MemorySnapshotStore());
            CountingStateMachine sm = new CountingStateMachine();
            RaftNode node = new RaftNode(RaftConfig.defaults(id, m), storage, 0, new SplittableRandom(id.hashCode()));
            members.put(id, new Member(node, log, new ReadyPersister(storage, sm), sm));
        }
    }

    RaftNode leader() {
        for (int t = 0; t < 10_000; t++) {
            for (Member mb : members.values()) {
                if (mb.raft.status().role() == Role.LEADER) {
                    return mb.raft;
                }
                mb.raft.tick();
            }
            run();
        }
        throw new IllegalStateException("no leader elected");
    }

    /** Drives every node and delivers messages until the cluster is quiet. */
    void run() {
        boolean busy = true;
        while (busy) {
            busy = false;
            for (Member mb : members.values()) {
                busy |= drain(mb);
            }
            while (!network.isEmpty()) {
                RaftMessage msg = network.poll();
                Member to = members.get(msg.to());
                to.raft.step(msg);
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
            network.addAll(rd.messages());
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
}
