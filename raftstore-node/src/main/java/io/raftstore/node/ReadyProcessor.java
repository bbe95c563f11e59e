package io.raftstore.node;

import io.raftstore.core.LeaderChange;
import io.raftstore.core.LogEntry;
import io.raftstore.core.RaftNode;
import io.raftstore.core.ReadState;
import io.raftstore.core.Ready;
import io.raftstore.core.ReadyPersister;
import io.raftstore.core.RequestFailure;
import io.raftstore.core.Role;
import io.raftstore.core.StateMachine;
import io.raftstore.core.storage.RaftStorage;
import io.raftstore.node.history.FailoverRecorder;
import io.raftstore.transport.Transport;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Carries out one {@link Ready} in the order its contract demands: persist, then send, then apply and
 * complete, then serve reads and report failures, then advance. Sending after persisting is what makes a
 * vote or an append acknowledgement a promise the node can keep after a crash.
 *
 * <p>Three things keep the disk off a write's critical path where Raft allows it. A leader's appends go out
 * before its own fsync ({@link Ready#messagesMayPrecedePersist()}), so the followers' disks and the
 * leader's work at once. Then it applies the committed entries that an earlier Ready already made durable
 * here ({@link Ready#durableCommitted()}): a write committed by the followers' acknowledgements is answered
 * without waiting behind the fsync of the entries that arrived meanwhile, and a Ready that only moves the
 * commit index answers its clients before it even sends. And only Readies that {@link Ready#mustSync()}
 * wait for the disk: a Ready that just moves the commit index rides with the next durable commit (Raft
 * relearns a commit index), and applies reach the disk only at the state's checkpoints (the durable log
 * replays them after a crash).
 */
final class ReadyProcessor {

    private final StateMachine stateMachine;
    private final Transport transport;
    private final RequestRouter router;
    private final FailoverRecorder recorder;
    private final ReadyPersister persister;
    private final ReadyTransaction transaction;
    private final NodeMetrics metrics;
    private final LongSupplier nanoTime;
    /** Syncs a leader's unforced writes beside the loop; null: every write that must be durable is forced here. */
    private final LogSyncer syncer;

    ReadyProcessor(RaftStorage storage, StateMachine stateMachine, Transport transport, RequestRouter router,
                   FailoverRecorder recorder, ReadyTransaction transaction, NodeMetrics metrics,
                   LongSupplier nanoTime, LogSyncer syncer) {
        this.syncer = syncer;
        this.transaction = transaction;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
        this.stateMachine = stateMachine;
        this.transport = transport;
        this.router = router;
        this.recorder = recorder;
        this.persister = new ReadyPersister(storage, stateMachine);
    }

    void process(RaftNode node, Ready rd) {
        if (EventTrace.ON) {
            EventTrace.log(EventTrace.ready(rd));
        }
        boolean sendFirst = rd.messagesMayPrecedePersist();
        boolean deferred = syncer != null && rd.syncMayFollow();
        List<LogEntry> committed = rd.committedEntries();
        // Applied before this Ready's write: none where the messages wait for the disk (a follower's
        // acknowledgement), which an apply first would delay.
        int early = 0;
        if (sendFirst) {
            early = rd.durableCommitted();
            if (rd.entries().isEmpty()) {
                apply(committed.subList(0, early)); // the messages only carry the commit: the clients come first
                transport.sendRaft(rd.messages());
            } else {
                transport.sendRaft(rd.messages()); // new entries: the followers' disks start first
                apply(committed.subList(0, early));
            }
        }
        if (rd.carriesSnapshot()) {
            // A snapshot becomes durable on its own (its files are renamed and synced); the stores refuse
            // to commit one inside an enclosing transaction, which could roll its record back.
            persist(rd);
        } else if (!rd.nothingToPersist() || rd.mustSync()) {
            // One transaction, so hard state and entries of a Ready cost one sync (group commit). A leader's new
            // entries may be left to the syncer, and a Ready with nothing to write may still have to force what
            // earlier ones left unforced (Ready#mustSync).
            boolean force = rd.mustSync() && !deferred;
            long started = nanoTime.getAsLong();
            transaction.run(() -> persist(rd), force);
            metrics.persisted(nanoTime.getAsLong() - started, rd.entries().size(), force);
            if (deferred) {
                syncer.request(lastEntry(rd).index(), lastEntry(rd).term());
            }
            if (EventTrace.ON) {
                EventTrace.log("persisted");
            }
        }
        if (!sendFirst) {
            transport.sendRaft(rd.messages());
        }
        apply(committed.subList(early, committed.size()));
        if (!rd.reads().isEmpty()) {
            metrics.readsReleased(rd.reads().size());
        }
        for (ReadState read : rd.reads()) {
            router.onReadReady(read);
        }
        for (RequestFailure failure : rd.failures()) {
            router.onFailure(failure);
        }
        for (LeaderChange change : rd.leaderChanges()) {
            recorder.observe(change);
            metrics.leaderChanged(change.cause().name(), change.newLeader() != null);
        }
        if (rd.softState() != null) {
            if (rd.softState().role() == Role.PRE_CANDIDATE || rd.softState().role() == Role.CANDIDATE) {
                metrics.campaigned();
            }
            recorder.leaderNow(rd.softState().leaderId());
            router.onLeader(rd.softState().leaderId());
        }
        if (deferred) {
            node.advanceUnsynced(rd);
            if (PlantedBug.COUNT_UNSYNCED_LEADER_COPY.planted()) {
                node.synced(lastEntry(rd).index(), lastEntry(rd).term());
            }
        } else {
            node.advance(rd);
        }
        router.afterReady();
    }

    private static LogEntry lastEntry(Ready rd) {
        return rd.entries().get(rd.entries().size() - 1);
    }

    private void persist(Ready rd) {
        persister.persist(rd);
    }

    private void apply(List<LogEntry> committed) {
        if (committed.isEmpty()) {
            return;
        }
        // After a snapshot install the state machine may already hold some of these.
        long applied = stateMachine.appliedIndex();
        List<LogEntry> fresh = new ArrayList<>(committed.size());
        for (LogEntry e : committed) {
            if (e.index() > applied) {
                fresh.add(e);
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        List<byte[]> results = stateMachine.apply(fresh);
        metrics.applied(fresh.size());
        for (int i = 0; i < fresh.size(); i++) {
            router.onApplied(fresh.get(i), i < results.size() ? results.get(i) : new byte[0]);
        }
        router.handOverAnswers(); // before this Ready's fsync, which their wake-ups would otherwise delay
    }

    /** A snapshot from the leader is half received: no local snapshot until it is done. */
    boolean receivingSnapshot() {
        return persister.receivingSnapshot();
    }

    /** Snapshots the state machine and compacts the log before it, keeping {@code keepEntries}. */
    void snapshot(RaftNode node, long keepEntries) {
        persister.snapshotAndCompact(node, keepEntries);
    }
}
