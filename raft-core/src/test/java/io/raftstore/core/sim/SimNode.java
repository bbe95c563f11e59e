package io.raftstore.core.sim;

import io.raftstore.core.LogEntry;
import io.raftstore.core.RaftConfig;
import io.raftstore.core.RaftNode;
import io.raftstore.core.ReadState;
import io.raftstore.core.Ready;
import io.raftstore.core.ReadyPersister;
import io.raftstore.core.RequestFailure;
import io.raftstore.core.Role;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.message.RaftMessage;
import io.raftstore.core.storage.RaftStorage;
import io.raftstore.core.storage.SnapshotSink;
import io.raftstore.core.storage.memory.MemoryHardStateStore;
import io.raftstore.core.storage.memory.MemoryLogStore;
import io.raftstore.core.storage.memory.MemorySnapshotStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One simulated server: a {@link RaftNode}, its in-memory stores and its state machine, driven exactly in
 * the order the {@link Ready} javadoc prescribes. A crash drops the engine, the state machine and whatever
 * of the current Ready was not yet done; the stores survive (through their {@code reopen()}), so a
 * restart sees only what was persisted.
 */
final class SimNode {

    /** What the simulation learns from this node's Readys, in the order they happen. */
    interface Events {
        void send(RaftMessage message);

        void applied(SimNode node, LogEntry entry, byte[] result);

        void readReady(SimNode node, ReadState read);

        void failed(SimNode node, RequestFailure failure);

        void roleChanged(SimNode node, Role role, long term, String leaderId);
    }

    final String id;
    private final RaftConfig config;
    private final SafetyChecker safety;
    private final SimTrace trace;
    private final DriverBug bug;
    private MemoryLogStore log = new MemoryLogStore();
    private MemoryHardStateStore hardState = new MemoryHardStateStore();
    private MemorySnapshotStore snapshots = new MemorySnapshotStore();
    private RaftNode raft;
    private KvStateMachine stateMachine;
    private SnapshotSink receiving;
    /** Non-null when this node persists through the engine's shared {@link ReadyPersister}. */
    private ReadyPersister persister;
    private boolean persisterReceiving;
    private CrashPoint crashAt;
    private Role role = Role.FOLLOWER;
    private long term;
    private String leaderId;
    private boolean removed;
    /** Paused (SIGSTOP, a long GC): the process exists but does nothing until {@link #resume}. */
    private boolean paused;
    private long resumeAt;
    private long lastResumeTick;

    private final boolean useSharedPersister;

    /**
     * @param useSharedPersister persist step 1 through {@link ReadyPersister} (one call, so crashes only
     *                           before or after it) instead of this class's own writes with crash points
     */
    SimNode(String id, RaftConfig config, SafetyChecker safety, SimTrace trace, DriverBug bug,
            boolean useSharedPersister) {
        this.id = id;
        this.useSharedPersister = useSharedPersister;
        this.bug = bug;
        this.config = config;
        this.safety = safety;
        this.trace = trace;
    }

    boolean alive() {
        return raft != null;
    }

    /** Alive and not paused: it receives, ticks and handles its Readys. */
    boolean running() {
        return alive() && !paused;
    }

    /** Stops the process until tick {@code until}: no messages (what is sent to it is lost), ticks or Readys. */
    void pause(long until) {
        paused = true;
        resumeAt = until;
        trace.node(id, "PAUSED until tick " + until);
    }

    /** Resumes at {@code now} if its pause is over, telling the engine it missed ticks (as the node's loop does). */
    void resumeIfDue(long now) {
        if (!paused || now < resumeAt) {
            return;
        }
        paused = false;
        lastResumeTick = now;
        trace.node(id, "resumed");
        raft.stalled();
    }

    /** When this node last resumed from a pause: its requests' answers were held up until then. */
    long lastResumeTick() {
        return lastResumeTick;
    }

    RaftNode raft() {
        return raft;
    }

    KvStateMachine stateMachine() {
        return stateMachine;
    }

    MemoryLogStore log() {
        return log;
    }

    Role role() {
        return role;
    }

    long term() {
        return term;
    }

    String leaderId() {
        return leaderId;
    }

    /** True once the cluster removed this node; it is kept running for a while to see it cannot disrupt. */
    boolean removed() {
        return removed;
    }

    void markRemoved() {
        removed = true;
    }

    void unmarkRemoved() {
        removed = false;
    }

    /** Starts (or restarts) the node over whatever its stores hold. */
    void start(long seed) {
        stateMachine = new KvStateMachine();
        Optional<SnapshotMeta> snap = snapshots.latest();
        if (snap.isPresent()) {
            SnapshotMeta meta = snap.get();
            stateMachine.restore(meta, snapshots.open(meta));
            safety.onRestore(id, meta.index(), meta.term());
            // A crash between committing a received snapshot and resetting the log leaves the log behind or
            // conflicting; finishing the installation is the driver's job (the engine refuses otherwise).
            if (meta.index() > log.lastIndex() || meta.index() < log.firstIndex() - 1
                    || log.term(meta.index()) != meta.term()) {
                log.reset(meta.index(), meta.term());
            }
        }
        role = Role.FOLLOWER;
        leaderId = null;
        RaftStorage storage = new RaftStorage(log, hardState, snapshots);
        // Not ReadyPersister.recover(): it restarts the log after the latest snapshot whenever the state
        // machine is behind it, which for this volatile state machine is every restart.
        persister = useSharedPersister ? new ReadyPersister(storage, stateMachine) : null;
        persisterReceiving = false;
        raft = new RaftNode(config, storage, stateMachine.appliedIndex(), new SplittableRandom(seed));
        trace.node(id, "start: log " + log.firstIndex() + ".." + log.lastIndex() + ", applied "
                + stateMachine.appliedIndex() + ", " + hardState.load());
    }

    /** Crashes now: only what the stores hold survives. */
    void crash() {
        raft = null;
        paused = false;
        stateMachine = null;
        receiving = null;
        persister = null;
        crashAt = null;
        log = log.reopen();
        hardState = hardState.reopen();
        snapshots = snapshots.reopen();
        role = Role.FOLLOWER;
        leaderId = null;
        trace.node(id, "CRASH");
    }

    /** Forgets a crash scheduled inside a Ready (when every fault heals). */
    void cancelCrash() {
        crashAt = null;
    }

    /** Crashes at {@code point} while handling the next Ready. */
    void crashDuringNextReady(CrashPoint point) {
        crashAt = point;
    }

    /** Drains every Ready; returns false if the node crashed on the way. */
    boolean processReadies(Events events) {
        int rounds = 0;
        while (alive() && raft.hasReady()) {
            if (++rounds > 1000) {
                throw new SafetyViolation(id + " still has a Ready after 1000 rounds: the engine does not settle");
            }
            handle(raft.ready(), events);
        }
        return alive();
    }

    /**
     * Crashes at the first point reached at or after the scheduled one: some points only exist in some
     * Readys (a snapshot to install, several messages), and a crash must not wait for ever for them.
     */
    private boolean crashesAt(CrashPoint point) {
        if (crashAt != null && point.compareTo(crashAt) >= 0) {
            trace.node(id, "crash point " + point);
            crash();
            return true;
        }
        return false;
    }

    private void handle(Ready rd, Events events) {
        // A leader's appends go out before its own disk write, as the node's driver sends them: a crash
        // in between must cost nothing acknowledged.
        boolean sendFirst = rd.messagesMayPrecedePersist();
        if (sendFirst && !sendAll(rd, events)) {
            return;
        }
        if (crashesAt(CrashPoint.BEFORE_PERSIST)) {
            return;
        }
        if (persister != null) {
            persistShared(rd, events);
        } else if (persistOwn(rd, events)) {
            return;
        }
        if (crashesAt(CrashPoint.BEFORE_SEND)) {
            return;
        }
        // 2. Otherwise only now send: the messages may promise what step 1 wrote.
        if (!sendFirst && !sendAll(rd, events)) {
            return;
        }
        if (crashesAt(CrashPoint.BEFORE_APPLY)) {
            return;
        }
        // 3. Apply committed entries.
        if (!rd.committedEntries().isEmpty()) {
            List<byte[]> results = stateMachine.apply(rd.committedEntries());
            for (int i = 0; i < results.size(); i++) {
                LogEntry e = rd.committedEntries().get(i);
                safety.onApply(id, e, term);
                events.applied(this, e, results.get(i));
            }
        }
        // 4. Serve reads released by this Ready, and fail what will not complete.
        for (ReadState read : rd.reads()) {
            if (stateMachine.appliedIndex() < read.readIndex()) {
                throw new SafetyViolation(id + " released read " + read.requestId() + " at read index "
                        + read.readIndex() + " but has applied only " + stateMachine.appliedIndex());
            }
            events.readReady(this, read);
        }
        for (RequestFailure f : rd.failures()) {
            events.failed(this, f);
        }
        if (crashesAt(CrashPoint.BEFORE_ADVANCE)) {
            return;
        }
        // 5. Acknowledge.
        raft.advance(rd);
        if (!rd.entries().isEmpty() || rd.snapshotToInstall() != null) {
            long engineLast = raft.status().lastIndex();
            if (engineLast != log.lastIndex()) {
                throw new SafetyViolation(id + " persisted its Ready as documented, yet the engine's log ends at "
                        + engineLast + " and the durable log at " + log.lastIndex() + " (" + log + ")");
            }
        }
    }

    /** Sends the Ready's messages; false if it crashed half way. */
    private boolean sendAll(Ready rd, Events events) {
        List<RaftMessage> messages = rd.messages();
        for (int i = 0; i < messages.size(); i++) {
            if (i == messages.size() / 2 && crashesAt(CrashPoint.MID_SEND)) {
                return false;
            }
            events.send(messages.get(i));
        }
        return true;
    }

    /**
     * Step 1 with this class's own writes, a crash point between each two; true if it crashed. A hard
     * state that need not be synced (only the commit index moved) is not saved at all: the node's driver
     * writes it without forcing it to disk, so a machine crash may lose it until the next synced write,
     * which carries the whole hard state.
     */
    private boolean persistOwn(Ready rd, Events events) {
        for (Ready.SnapshotChunk chunk : rd.snapshotChunks()) {
            writeChunk(chunk);
        }
        if (rd.snapshotToInstall() != null && installSnapshot(rd.snapshotToInstall())) {
            return true;
        }
        if (crashesAt(CrashPoint.AFTER_SNAPSHOT_INSTALL)) {
            return true;
        }
        List<LogEntry> entries = rd.entries();
        if (bug == DriverBug.KEEP_CONFLICTING_SUFFIX) {
            long last = log.lastIndex();
            entries = entries.stream().filter(e -> e.index() > last).toList();
        }
        if (!entries.isEmpty()) {
            log.append(entries);
            safety.onAppend(id, entries, log);
        }
        if (crashesAt(CrashPoint.AFTER_ENTRIES)) {
            return true;
        }
        if (rd.hardState() != null && rd.mustSync()) {
            hardState.save(rd.hardState());
            safety.onHardState(id, rd.hardState());
        }
        if (rd.softState() != null) {
            observeRole(rd.softState(), events);
        }
        return false;
    }

    /** Step 1 through the engine's {@link ReadyPersister}, then the same safety checks. */
    private void persistShared(Ready rd, Events events) {
        persister.persist(rd);
        for (Ready.SnapshotChunk chunk : rd.snapshotChunks()) {
            persisterReceiving = !chunk.done();
        }
        if (rd.snapshotToInstall() != null) {
            SnapshotMeta meta = rd.snapshotToInstall();
            safety.onRestore(id, meta.index(), meta.term());
            trace.node(id, "installed snapshot " + meta.index() + "@" + meta.term());
        }
        if (!rd.entries().isEmpty()) {
            safety.onAppend(id, rd.entries(), log);
        }
        if (rd.hardState() != null) {
            safety.onHardState(id, rd.hardState());
        }
        if (rd.softState() != null) {
            observeRole(rd.softState(), events);
        }
    }

    private void observeRole(Ready.SoftState soft, Events events) {
        boolean newLeadership = soft.role() == Role.LEADER && (role != Role.LEADER || term != soft.term());
        role = soft.role();
        term = soft.term();
        leaderId = soft.leaderId();
        if (newLeadership) {
            // Checked after this Ready's entries are durable: the leader's log as it takes office.
            safety.onBecameLeader(id, term, log);
        }
        trace.node(id, "role " + role + " term " + term + " leader " + leaderId);
        events.roleChanged(this, role, term, leaderId);
    }

    private void writeChunk(Ready.SnapshotChunk chunk) {
        if (chunk.offset() == 0) {
            if (receiving != null) {
                receiving.close();
            }
            receiving = snapshots.begin(chunk.meta());
        } else if (receiving == null || !receiving.meta().equals(chunk.meta())
                || receiving.written() != chunk.offset()) {
            throw new SafetyViolation(id + " was handed snapshot chunk at offset " + chunk.offset() + " of "
                    + chunk.meta() + " but holds " + (receiving == null ? "no partial snapshot"
                    : receiving.written() + " bytes of " + receiving.meta()));
        }
        try {
            receiving.stream().write(chunk.data());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Commits and restores a received snapshot; returns true if the node crashed on the way. */
    private boolean installSnapshot(SnapshotMeta meta) {
        if (receiving == null || !receiving.meta().equals(meta)) {
            throw new SafetyViolation(id + " told to install " + meta + " but received "
                    + (receiving == null ? "nothing" : receiving.meta()));
        }
        receiving.commit();
        receiving = null;
        if (crashesAt(CrashPoint.AFTER_SNAPSHOT_COMMIT)) {
            return true;
        }
        // Restored before the entries of this Ready are appended: they may follow the snapshot.
        stateMachine.restore(meta, snapshots.open(meta));
        safety.onRestore(id, meta.index(), meta.term());
        log.reset(meta.index(), meta.term());
        trace.node(id, "installed snapshot " + meta.index() + "@" + meta.term());
        return false;
    }

    /**
     * Snapshots the state machine at its applied index and compacts the log up to {@code compactTo} (at
     * most the snapshot index), so that lagging followers need InstallSnapshot.
     */
    void takeSnapshot(long compactTo) {
        long index = stateMachine.appliedIndex();
        SnapshotMeta meta = raft.snapshotMetaAt(index);
        try (SnapshotSink sink = snapshots.begin(meta)) {
            stateMachine.writeSnapshot(sink.stream());
            sink.commit();
        }
        long upTo = Math.max(log.firstIndex() - 1, Math.min(compactTo, index));
        log.compact(upTo);
        trace.node(id, "snapshot at " + index + "@" + meta.term() + ", log compacted to " + upTo);
    }

    /** A local snapshot must not abandon a snapshot being received from the leader. */
    boolean canSnapshot() {
        return running() && receiving == null && !persisterReceiving;
    }

    long snapshotIndex() {
        return snapshots.latest().map(SnapshotMeta::index).orElse(0L);
    }
}
