package io.raftstore.node;

import io.raftstore.core.LogEntry;
import io.raftstore.core.Membership;
import io.raftstore.core.RaftConfig;
import io.raftstore.core.RaftNode;
import io.raftstore.core.Ready;
import io.raftstore.core.Role;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.StateMachine;
import io.raftstore.core.storage.RaftStorage;
import io.raftstore.core.storage.memory.MemoryHardStateStore;
import io.raftstore.core.storage.memory.MemoryLogStore;
import io.raftstore.core.storage.memory.MemorySnapshotStore;
import io.raftstore.node.history.FailoverRecorder;
import io.raftstore.node.history.InMemoryFailoverHistory;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The order in which the processor carries out a Ready: what it writes, sends and applies, and when. */
class ReadyProcessorTest {

    private final List<String> events = new ArrayList<>();
    private final RegisterMachine register = new RegisterMachine();

    private final StateMachine recordingMachine = new StateMachine() {
        @Override
        public long appliedIndex() {
            return register.appliedIndex();
        }

        @Override
        public List<byte[]> apply(List<LogEntry> entries) {
            entries.forEach(e -> events.add("apply " + e.index()));
            return register.apply(entries);
        }

        @Override
        public void writeSnapshot(OutputStream out) {
            register.writeSnapshot(out);
        }

        @Override
        public void restore(SnapshotMeta meta, InputStream in) {
            register.restore(meta, in);
        }
    };

    private final RecordingTransport transport = new RecordingTransport();

    @Test
    void aCommittedWriteIsAnsweredBeforeTheFsyncOfTheEntriesThatArrivedAfterIt() throws Exception {
        RaftStorage storage = new RaftStorage(new MemoryLogStore(), new MemoryHardStateStore(),
                new MemorySnapshotStore());
        RaftNode node = new RaftNode(RaftConfig.defaults("n1", Membership.ofVoters("n1")), storage, 0,
                new SplittableRandom(1));
        RequestRouter router = new RequestRouter("n1", transport, TimeUnit.SECONDS.toNanos(5), 0);
        router.attach(node);
        ReadyTransaction recordingTransaction = (writes, force) -> {
            writes.run();
            events.add(force ? "fsync" : "write");
        };
        ReadyProcessor processor = new ReadyProcessor(storage, recordingMachine, transport, router,
                new FailoverRecorder(new InMemoryFailoverHistory(10), Clock.systemUTC(), System::nanoTime),
                recordingTransaction, NodeMetrics.NONE, System::nanoTime);
        for (int i = 0; i < 1000 && node.status().role() != Role.LEADER; i++) {
            node.tick();
            drain(node, processor);
        }
        assertEquals(Role.LEADER, node.status().role(), "a single voter elects itself");

        PendingRequest.Write x = new PendingRequest.Write(RegisterMachine.command("k", "x"), 0, 0, null,
                router.deadlineFromNow());
        router.submitWrite(x);
        processor.process(node, node.ready()); // x written and made durable
        router.submitWrite(new PendingRequest.Write(RegisterMachine.command("k", "y"), 0, 0, null,
                router.deadlineFromNow()));
        Ready rd = node.ready();
        long xIndex = rd.committedEntries().get(0).index();
        assertEquals(List.of(xIndex + 1), rd.entries().stream().map(LogEntry::index).toList(),
                "y is written now: " + rd);

        events.clear();
        processor.process(node, rd);
        assertEquals(List.of("apply " + xIndex, "fsync"), events,
                "x, durable already, is applied and answered before y's fsync");
        assertTrue(x.future.isDone());
        assertEquals(List.of(), transport.sent, "a single voter sends nothing");
    }

    private static void drain(RaftNode node, ReadyProcessor processor) {
        while (node.hasReady()) {
            processor.process(node, node.ready());
        }
    }
}
