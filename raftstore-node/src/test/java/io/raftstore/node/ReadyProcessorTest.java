package io.raftstore.node;

import io.raftstore.core.LogEntry;
import io.raftstore.core.Membership;
import io.raftstore.core.RaftConfig;
import io.raftstore.core.RaftNode;
import io.raftstore.core.Ready;
import io.raftstore.core.Role;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.StateMachine;
import io.raftstore.core.message.AppendEntries;
import io.raftstore.core.message.AppendEntriesResponse;
import io.raftstore.core.message.RequestVoteResponse;
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

    private RaftStorage storage;
    private final RecordingTransport transport = new RecordingTransport(events::add);

    @Test
    void aCommittedWriteIsAnsweredBeforeTheFsyncOfTheEntriesThatArrivedAfterIt() throws Exception {
        RaftNode node = node("n1", "n1");
        RequestRouter router = router(node);
        ReadyProcessor processor = processor(router);
        for (int i = 0; i < 1000 && node.status().role() != Role.LEADER; i++) {
            node.tick();
            drain(node, processor);
        }
        assertEquals(Role.LEADER, node.status().role(), "a single voter elects itself");

        PendingRequest.Write x = new PendingRequest.Write(RegisterMachine.command("k", "x"), 0, 0, null,
                router.deadlineFromNow());
        router.submitWrite(x);
        x.future.thenRun(() -> events.add("answer x"));
        processor.process(node, node.ready()); // x written and made durable
        router.submitWrite(new PendingRequest.Write(RegisterMachine.command("k", "y"), 0, 0, null,
                router.deadlineFromNow()));
        Ready rd = node.ready();
        long xIndex = rd.committedEntries().get(0).index();
        assertEquals(List.of(xIndex + 1), rd.entries().stream().map(LogEntry::index).toList(),
                "y is written now: " + rd);

        events.clear();
        processor.process(node, rd);
        assertEquals(List.of("apply " + xIndex, "answer x", "fsync"), events,
                "x, durable already, is applied and its answer handed over before y's fsync");
        assertTrue(x.future.isDone());
    }

    @Test
    void aFollowerAcknowledgesBeforeItApplies() {
        RaftNode node = node("n2", "n1", "n2", "n3");
        ReadyProcessor processor = processor(router(node));
        node.step(new AppendEntries("n1", "n2", 1, 0, 0, List.of(entry(1, "x")), 0, 0));
        drain(node, processor);
        node.step(new AppendEntries("n1", "n2", 1, 1, 1, List.of(entry(2, "y")), 1, 0)); // commits x
        Ready rd = node.ready();
        assertEquals(1, rd.durableCommitted(), "x, written by the Ready before, is durable: " + rd);

        events.clear();
        processor.process(node, rd);
        assertEquals(List.of("fsync", "send to n1", "apply 1"), events,
                "the acknowledgement of y waits for y's fsync, not also for x's apply");
    }

    @Test
    void aLeadersNewEntriesAreWrittenUnforcedAndCountOnlyOnceTheSyncBesideTheLoopReturns() {
        RaftNode node = node("n1", "n1", "n2", "n3");
        RequestRouter router = router(node);
        List<Runnable> loopTasks = new ArrayList<>();
        LogSyncer syncer = new LogSyncer(() -> events.add("sync"), loopTasks::add, node::synced, System::nanoTime,
                (nanos, entries) -> { });
        ReadyProcessor processor = processor(router, syncer);
        for (int i = 0; i < 1000 && node.status().role() != Role.LEADER; i++) {
            node.tick();
            drain(node, processor);
            Role role = node.status().role();
            if (role == Role.PRE_CANDIDATE || role == Role.CANDIDATE) {
                boolean pre = role == Role.PRE_CANDIDATE;
                node.step(new RequestVoteResponse("n2", "n1", node.status().term() + (pre ? 1 : 0), true, pre));
                drain(node, processor);
            }
        }
        assertEquals(Role.LEADER, node.status().role(), "n2's votes elect n1");
        long term = node.status().term();
        long noop = node.status().lastIndex();
        node.step(new AppendEntriesResponse("n2", "n1", term, true, noop, 0, 0, 0));
        drain(node, processor);
        loopTasks.forEach(Runnable::run);
        loopTasks.clear();
        drain(node, processor);

        PendingRequest.Write x = new PendingRequest.Write(RegisterMachine.command("k", "x"), 0, 0, null,
                router.deadlineFromNow());
        router.submitWrite(x);
        Ready rd = node.ready();
        assertTrue(rd.syncMayFollow(), "a leader's new entries: " + rd);
        long index = rd.entries().get(0).index();
        events.clear();
        processor.process(node, rd);
        assertTrue(events.contains("write") && !events.contains("fsync"), "written unforced: " + events);

        node.step(new AppendEntriesResponse("n2", "n1", term, true, index, 0, 0, 0));
        drain(node, processor);
        assertTrue(node.status().commitIndex() < index, "n2's copy and an unsynced own copy are no majority");
        syncer.runPending(0, 0);
        loopTasks.forEach(Runnable::run);
        drain(node, processor);
        assertEquals(index, node.status().commitIndex(), "synced, n1's own copy counts");
        assertTrue(events.containsAll(List.of("sync", "apply " + index)), events.toString());
        assertTrue(x.future.isDone());
    }

    private static LogEntry entry(long index, String value) {
        return LogEntry.command(1, index, RegisterMachine.command("k", value));
    }

    /** A fresh engine on fresh memory stores, which the processor made next writes to. */
    private RaftNode node(String id, String... voters) {
        storage = new RaftStorage(new MemoryLogStore(), new MemoryHardStateStore(), new MemorySnapshotStore());
        return new RaftNode(RaftConfig.defaults(id, Membership.ofVoters(voters)), storage, 0, new SplittableRandom(1));
    }

    private RequestRouter router(RaftNode node) {
        RequestRouter router = new RequestRouter(node.id(), transport, TimeUnit.SECONDS.toNanos(5), 0);
        router.attach(node);
        router.answerThrough(new CallerAnswers()); // no thread of its own: a hand-over answers at once
        return router;
    }

    private ReadyProcessor processor(RequestRouter router) {
        return processor(router, null);
    }

    private ReadyProcessor processor(RequestRouter router, LogSyncer syncer) {
        ReadyTransaction recordingTransaction = (writes, force) -> {
            writes.run();
            events.add(force ? "fsync" : "write");
        };
        return new ReadyProcessor(storage, recordingMachine, transport, router,
                new FailoverRecorder(new InMemoryFailoverHistory(10), Clock.systemUTC(), System::nanoTime),
                recordingTransaction, NodeMetrics.NONE, System::nanoTime, syncer);
    }

    private static void drain(RaftNode node, ReadyProcessor processor) {
        while (node.hasReady()) {
            processor.process(node, node.ready());
        }
    }
}
