package io.raftstore.storage.h2;

import io.raftstore.core.HardState;
import io.raftstore.core.LogEntry;
import io.raftstore.core.Ready;
import io.raftstore.core.ReadyPersister;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.storage.SnapshotSink;
import io.raftstore.kv.KvCommand;
import io.raftstore.kv.KvResult;
import io.raftstore.kv.KvStateMachine;
import io.raftstore.kv.StateDatabase;
import io.raftstore.node.storage.NodeStorage;
import io.raftstore.storage.LogStoreKind;
import io.raftstore.storage.sim.CrashMode;
import io.raftstore.storage.sim.SimDisk;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node's whole storage ({@link NodeStorage}: the Raft log (in the write-ahead log on odd seeds, in the H2
 * database on even ones, {@link #storeOf}), both H2 databases and their watermarks, the
 * snapshot files) over one simulated disk ({@link SimDisk}), seed by seed, driven as a follower's driver drives
 * it: Readies with entries and hard state through {@link NodeStorage#atomically} and a {@link ReadyPersister},
 * forced or (a moved commit index only) not; committed entries applied to the key-value state machine; virtual
 * time passing, so the state is checkpointed; local snapshots with log compaction; and snapshots received from
 * a leader in chunks and installed. Now and then the machine crashes between two steps or in the middle of
 * one (the power goes before the n-th change to the disk), losing, tearing or reordering what was not synced,
 * and on some seeds writes and fsyncs fail. After every crash the node must open without repair, recover, and
 * hold everything acknowledged (forced) before the crash, nothing the leader never sent, a latest snapshot
 * that is one whose commit had returned or was under way, byte for byte and alone in its directory, and the
 * key-value state of the log's first n entries, n being its applied index.
 *
 * <p>Replay a seed: {@code mvn -o -q -pl raftstore-node -am test -Dtest=NodeStorageCrashTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dh2.crash.firstSeed=S -Dh2.crash.seeds=1}.
 */
class NodeStorageCrashTest {

    private static final long FIRST_SEED = Long.getLong("h2.crash.firstSeed", 1);
    private static final long SEEDS = Long.getLong("h2.crash.seeds", 40);
    private static final int STEPS = Integer.getInteger("h2.crash.steps", 200);
    private static final Path DIR = Path.of("/sim/node");

    @Test
    void afterEveryCrashTheNodeOpensWithWhatItAcknowledgedAndTheStateOfItsAppliedIndex() {
        int crashes = 0;
        Map<Long, Integer> rebuilds = new TreeMap<>();
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            Run run = new Run(seed);
            crashes += run.run();
            if (run.stateRebuilds > 0) {
                rebuilds.put(seed, run.stateRebuilds);
            }
        }
        System.out.println("NodeStorageCrashTest: seeds " + FIRST_SEED + ".." + (FIRST_SEED + SEEDS - 1) + ", " + crashes
                + " crashes; the key-value state's database found damaged and rebuilt (seed=times): " + rebuilds);
        assertTrue(crashes >= SEEDS * 5, "the runs crashed only " + crashes + " times");
    }

    /** Odd seeds keep the Raft log in the write-ahead log, even ones in the H2 database. */
    static LogStoreKind storeOf(long seed) {
        return seed % 2 == 0 ? LogStoreKind.H2 : LogStoreKind.WAL;
    }

    /** One seed's run. */
    private static final class Run {
        private final long seed;
        private final Random random;
        private final SimDisk disk;
        private final AtomicLong nanos = new AtomicLong();
        private final H2StorageConfig config;
        private final double faultRate;
        private final SimulatedLeader leader;
        private final ArrayDeque<String> trace = new ArrayDeque<>();
        private NodeStorage storage;
        private ReadyPersister persister;
        /** The hard state last written, and the commit index the driver knows (maybe not yet durable). */
        private HardState written = HardState.EMPTY;
        private long commitIndex;
        /** What a crash must keep: what the last forced write made durable. */
        private HardState ackedHardState = HardState.EMPTY;
        private long ackedLast;
        /** Every snapshot handed to the store, with its bytes; the latest committed, and one being committed. */
        private final Map<SnapshotMeta, byte[]> snapshotBytes = new HashMap<>();
        private SnapshotMeta ackedSnapshot;
        private SnapshotMeta committing;
        private int step;
        /** How often opening found the state database damaged and rebuilt it (StateDatabase's warning). */
        private int stateRebuilds;
        private final List<LogRecord> warnings = new ArrayList<>();
        private final Handler warningsHandler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                warnings.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };

        Run(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
            this.disk = new SimDisk(random.nextLong());
            this.config = H2StorageConfig.DEFAULT
                    .withLogStore(storeOf(seed))
                    .withWalSegmentBytes(2_048 + random.nextInt(32_768))
                    .withRestoreCommitRecords(1 + random.nextInt(20)); // crashes land between staging commits
            this.faultRate = random.nextInt(3) == 0 ? 0.002 : 0;
            this.leader = new SimulatedLeader(new Random(random.nextLong()), nanos::get, config);
        }

        /** Returns the number of crashes. */
        int run() {
            Logger stateLog = Logger.getLogger(StateDatabase.class.getName());
            stateLog.addHandler(warningsHandler);
            try (SimulatedLeader l = leader) {
                reopen("the first start");
                faults(true);
                for (step = 0; step < STEPS; step++) {
                    if (random.nextInt(25) == 0) {
                        crashAndCheck();
                        continue;
                    }
                    if (random.nextInt(15) == 0 && !disk.poweredOff()) {
                        disk.crashAfter(1 + random.nextInt(60));
                    }
                    try {
                        doSomething();
                    } catch (RuntimeException | SimDisk.PowerLoss e) {
                        if (!disk.poweredOff() && !simulatedFault(e)) {
                            throw failure("a step failed: " + e, e);
                        }
                        note("stopped: " + (disk.poweredOff() ? "power loss" : e.getMessage()));
                        crashAndCheck(); // the node stops, as it must after a failed write or fsync
                    }
                }
                crashAndCheck();
                faults(false);
                storage.close();
                reopen("a clean shutdown");
            } catch (AssertionError e) { // H2's own assertions too (surefire enables them): report with the seed
                throw String.valueOf(e.getMessage()).startsWith("seed " + seed) ? e : failure("H2 failed: " + e, e);
            } finally {
                stateLog.removeHandler(warningsHandler);
            }
            return disk.crashes();
        }

        private void faults(boolean on) {
            disk.failing(SimDisk.Op.WRITE, on ? faultRate : 0).failing(SimDisk.Op.FORCE, on ? faultRate : 0);
        }

        private void doSomething() {
            int what = random.nextInt(100);
            if (what < 38) {
                replicate();
            } else if (what < 50) {
                moveCommitIndex();
            } else if (what < 70) {
                apply();
            } else if (what < 82) {
                long ms = random.nextInt(3_000);
                nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
                note("time +" + ms + " ms");
            } else if (what < 92) {
                snapshotAndCompact();
            } else {
                installFromLeader();
            }
        }

        /** One Ready through the driver's path; what it wrote is acknowledged when it was forced. */
        private void persist(HardState hs, List<LogEntry> entries, List<Ready.SnapshotChunk> chunks, SnapshotMeta install) {
            Ready rd = new Ready(hs, entries, chunks, install, List.of(), List.of(), List.of(), List.of(), null,
                    List.of(), written, false, false);
            boolean forced;
            if (rd.carriesSnapshot()) {
                // As ReadyProcessor does: a snapshot commits on its own, outside a transaction, and each write
                // of the log store then is durable by itself (forcing every earlier one with it). Chunks
                // alone write nothing to the log store, so they make no earlier unforced write durable.
                persister.persist(rd);
                forced = install != null || hs != null || !entries.isEmpty();
            } else {
                storage.atomically(() -> persister.persist(rd), rd.mustSync());
                forced = rd.mustSync();
            }
            if (hs != null) {
                written = hs;
            }
            if (forced) {
                ackedHardState = written;
                ackedLast = storage.log().lastIndex();
            }
        }

        /** The leader's next entries, with a commit index between the known one and the new last index. */
        private void replicate() {
            long last = storage.log().lastIndex();
            int n = 1 + random.nextInt(5);
            if (leader.lastIndex() < last + n) {
                leader.grow(last + n - leader.lastIndex());
            }
            long commit = commitIndex + random.nextInt((int) (last + n - commitIndex) + 1);
            note("append " + (last + 1) + ".." + (last + n) + ", commit " + commit);
            persist(new HardState(leader.term(), "n2", commit), leader.entries(last + 1, last + n), List.of(), null);
            commitIndex = commit;
        }

        /** A Ready that only moves the commit index: written without an fsync. */
        private void moveCommitIndex() {
            long last = storage.log().lastIndex();
            if (commitIndex >= last) {
                return;
            }
            commitIndex = last;
            note("commit " + last + " (not forced)");
            persist(new HardState(written.term(), written.votedFor(), last), List.of(), List.of(), null);
        }

        private void apply() {
            KvStateMachine sm = storage.stateMachine();
            long applied = sm.appliedIndex();
            if (applied >= commitIndex) {
                return;
            }
            long to = applied + 1 + random.nextInt((int) (commitIndex - applied));
            note("apply " + (applied + 1) + ".." + to);
            sm.apply(storage.log().entries(applied + 1, to, Long.MAX_VALUE));
        }

        /** As ReadyPersister.snapshotAndCompact: a snapshot at the applied index, then the log compacted behind it. */
        private void snapshotAndCompact() {
            KvStateMachine sm = storage.stateMachine();
            long applied = sm.appliedIndex();
            if (applied <= storage.snapshots().latest().map(SnapshotMeta::index).orElse(0L)) {
                return;
            }
            SnapshotMeta meta = new SnapshotMeta(applied, storage.log().term(applied), SimulatedLeader.MEMBERS);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            sm.writeSnapshot(bytes);
            note("snapshot at " + applied + " (" + bytes.size() + " bytes)");
            try (SnapshotSink sink = storage.snapshots().begin(meta)) {
                bytes.writeTo(sink.stream());
                snapshotBytes.put(meta, bytes.toByteArray());
                committing = meta;
                sink.commit();
                ackedSnapshot = meta;
                committing = null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            long compactTo = applied - random.nextInt(10);
            if (compactTo >= storage.log().firstIndex()) {
                note("compact to " + compactTo);
                storage.log().compact(compactTo);
            }
        }

        /**
         * The leader, ahead, sends its snapshot in chunks (one Ready each) and then has it installed, with the
         * last chunk or in a Ready of its own; now and then it stops sending halfway (the node crashes).
         */
        private void installFromLeader() {
            leader.grow(5 + random.nextInt(30));
            SimulatedLeader.Snapshot snapshot = leader.snapshot();
            SnapshotMeta meta = snapshot.meta();
            byte[] bytes = snapshot.bytes();
            snapshotBytes.put(meta, bytes);
            int chunk = 200 + random.nextInt(4_000);
            boolean withLastChunk = random.nextBoolean();
            HardState installed = new HardState(leader.term(), "n2", Math.max(commitIndex, meta.index()));
            note("install snapshot at " + meta.index() + " (" + bytes.length + " bytes, chunks of " + chunk + ")");
            for (int offset = 0; ; offset += chunk) {
                boolean done = offset + chunk >= bytes.length;
                byte[] data = Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + chunk));
                SnapshotMeta install = done && withLastChunk ? meta : null;
                committing = done ? meta : null;
                persist(install == null ? null : installed, List.of(), List.of(new Ready.SnapshotChunk(meta, offset,
                        data, done)), install);
                if (done) {
                    ackedSnapshot = meta;
                    committing = null;
                    break;
                }
                if (random.nextInt(20) == 0) {
                    note("the leader stops sending at offset " + (offset + chunk));
                    crashAndCheck();
                    return;
                }
            }
            if (!withLastChunk) {
                persist(installed, List.of(), List.of(), meta);
            }
            commitIndex = installed.commitIndex();
        }

        private void reopen(String after) {
            try {
                warnings.clear();
                storage = NodeStorage.open(disk, nanos::get, DIR, config);
                if (!warnings.isEmpty()) {
                    stateRebuilds++;
                    note("the state database was damaged: moved aside and rebuilt");
                }
                storage.recover();
                persister = new ReadyPersister(storage.raftStorage(), storage.stateMachine());
                persister.recover(); // as NodeDriver does before the node starts
            } catch (RuntimeException e) {
                throw failure("after " + after + " the node does not open: " + e, e);
            }
            check(after);
        }

        private void crashAndCheck() {
            CrashMode mode = disk.crash();
            note("crash (" + mode + ")");
            faults(false);
            reopen("a crash (" + mode + ")");
            faults(true);
        }

        /** What the reopened storage must hold; then it is what the driver starts from. */
        private void check(String after) {
            HardState hs = storage.hardState().load();
            Optional<SnapshotMeta> latest = storage.snapshots().latest();
            long snapshotIndex = latest.map(SnapshotMeta::index).orElse(0L);
            long first = storage.log().firstIndex();
            long last = storage.log().lastIndex();
            expect(hs.term() >= ackedHardState.term() && hs.commitIndex() >= ackedHardState.commitIndex(), after,
                    "the hard state " + hs + " is older than the acknowledged " + ackedHardState);
            expect(Math.max(last, snapshotIndex) >= ackedLast, after, "the log ends at " + last + " and the snapshot at "
                    + snapshotIndex + ", but entries up to " + ackedLast + " were acknowledged");
            expect(hs.term() <= leader.term() && last <= leader.lastIndex(), after,
                    "the node holds what the leader never sent: " + hs + ", log up to " + last);
            expect(last < first || storage.log().entries(first, last, Long.MAX_VALUE).equals(leader.entries(first, last)),
                    after, "log entries " + first + ".." + last + " differ from the leader's");
            checkSnapshot(after, latest);
            KvStateMachine sm = storage.stateMachine();
            long applied = sm.appliedIndex();
            expect(applied >= ackedHardState.commitIndex(), after, "the state was recovered to " + applied
                    + " only, but " + ackedHardState.commitIndex() + " was acknowledged committed");
            String diff = difference(leader.stateAt(applied), stateOf(sm));
            expect(diff.isEmpty(), after, "the key-value state at applied index " + applied + " is not the log's: " + diff);

            written = hs;
            ackedHardState = hs;
            ackedLast = Math.max(last, snapshotIndex);
            commitIndex = Math.max(hs.commitIndex(), applied);
            ackedSnapshot = latest.orElse(null);
            committing = null;
        }

        /** The latest snapshot is one whose commit returned or was under way, whole, and the only file left. */
        private void checkSnapshot(String after, Optional<SnapshotMeta> latest) {
            expect(latest.equals(Optional.ofNullable(ackedSnapshot)) || latest.equals(Optional.ofNullable(committing)),
                    after, "the latest snapshot is " + latest + ", but the last committed one is " + ackedSnapshot
                            + (committing == null ? "" : " and " + committing + " was being committed"));
            H2SnapshotStore store = storage.snapshots();
            List<Path> files;
            try {
                files = disk.list(store.directory(), "*");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<Path> expected = latest.isEmpty() ? List.of()
                    : List.of(store.directory().resolve(store.recordedFile().fileName()));
            expect(files.equals(expected), after, "the snapshot directory holds " + files + ", not " + expected);
            if (latest.isPresent()) {
                byte[] found = store.read(latest.get(), 0, (int) store.length());
                expect(Arrays.equals(found, snapshotBytes.get(latest.get())), after,
                        "the snapshot file's bytes are not those written");
            }
        }

        private static Map<String, byte[]> stateOf(KvStateMachine sm) {
            Map<String, byte[]> state = new TreeMap<>();
            KvResult.ScanResult all = (KvResult.ScanResult) sm.read(new KvCommand.Scan("", 10_000));
            all.entries().forEach(v -> state.put(v.key(), v.value()));
            return state;
        }

        /** The keys whose values differ, or "" when none does. */
        private static String difference(Map<String, byte[]> expected, Map<String, byte[]> found) {
            TreeSet<String> keys = new TreeSet<>(expected.keySet());
            keys.addAll(found.keySet());
            StringBuilder out = new StringBuilder();
            for (String key : keys) {
                if (!Arrays.equals(expected.get(key), found.get(key))) {
                    out.append("\n  ").append(key).append(": expected ").append(describe(expected.get(key)))
                            .append(", found ").append(describe(found.get(key)));
                }
            }
            return out.toString();
        }

        private static String describe(byte[] value) {
            return value == null ? "absent" : value.length + " bytes " + Arrays.hashCode(value);
        }

        private static boolean simulatedFault(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (String.valueOf(t.getMessage()).contains("simulated")) {
                    return true;
                }
            }
            return false;
        }

        /** Keeps the last steps for a failure's message. */
        private void note(String what) {
            trace.addLast(step + ": " + what);
            if (trace.size() > 30) {
                trace.removeFirst();
            }
        }

        private void expect(boolean condition, String after, String what) {
            if (!condition) {
                throw failure("after " + after + ", " + what, null);
            }
        }

        private AssertionError failure(String what, Throwable cause) {
            return new AssertionError("seed " + seed + " (log store " + storeOf(seed).value() + "), step " + step + ": " + what
                    + "\n  last steps:\n    " + String.join("\n    ", trace)
                    + "\n  replay: mvn -o -q -pl raftstore-node -am test -Dtest=NodeStorageCrashTest"
                    + " -Dsurefire.failIfNoSpecifiedTests=false -Dh2.crash.firstSeed=" + seed + " -Dh2.crash.seeds=1",
                    cause);
        }
    }
}
