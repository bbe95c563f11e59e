package io.raftstore.storage.wal;

import io.raftstore.core.HardState;
import io.raftstore.core.LogEntry;
import io.raftstore.core.storage.StorageException;
import io.raftstore.storage.sim.CrashMode;
import io.raftstore.storage.sim.SimDisk;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The write-ahead log over a simulated disk ({@link SimDisk}), seed by seed: random Readies (entries, hard state,
 * both, forced or not), syncs of what was written unforced, conflicting appends that truncate, compactions, resets,
 * and now and then a crash that
 * loses, tears or reorders what was not synced, or a write or fsync that fails. After each crash the reopened log
 * must hold exactly what it held after one of the frames written since the last acknowledged (forced) one: all
 * that was acknowledged, and nothing that was never written.
 *
 * <p>Replay a seed: {@code mvn -o -q -pl raftstore-storage -am test -Dtest=WalCrashTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dwal.crash.firstSeed=S -Dwal.crash.seeds=1}.
 */
class WalCrashTest {

    private static final long FIRST_SEED = Long.getLong("wal.crash.firstSeed", 1);
    private static final long SEEDS = Long.getLong("wal.crash.seeds", 300);
    private static final int STEPS = 400;
    private static final Path DIR = Path.of("/sim/node/wal");

    @Test
    void whatWasSyncedSurvivesEveryCrashAndNothingElseAppears() {
        int crashes = 0;
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            crashes += new Run(seed).run();
        }
        assertTrue(crashes >= SEEDS * 5, "the runs crashed only " + crashes + " times");
    }

    /** One seed's run. */
    private static final class Run {
        private final long seed;
        private final Random random;
        private final SimDisk disk;
        private final long segmentBytes;
        private final double faultRate;
        private WalStorage wal;
        /** The image after each frame since the last acknowledged one, that one first: what a crash may leave. */
        private final List<WalImage> possible = new ArrayList<>();
        private long term = 1;
        private int step;

        Run(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
            this.disk = new SimDisk(random.nextLong());
            this.segmentBytes = 256 + random.nextInt(4096);
            this.faultRate = random.nextInt(3) == 0 ? 0.01 : 0;
        }

        /** Returns the number of crashes. */
        int run() {
            wal = WalStorage.open(disk, DIR, segmentBytes, false);
            possible.add(WalImage.EMPTY);
            faults(true);
            for (step = 0; step < STEPS; step++) {
                if (random.nextInt(30) == 0) {
                    crashAndCheck();
                    continue;
                }
                try {
                    writeSomething();
                } catch (StorageException e) {
                    if (!e.toString().contains("simulated")) {
                        throw failure("a write failed: " + e);
                    }
                    crashAndCheck(); // the log stopped, as it must after a failed write or fsync
                }
            }
            crashAndCheck();
            return disk.crashes();
        }

        private void faults(boolean on) {
            disk.failing(SimDisk.Op.WRITE, on ? faultRate : 0).failing(SimDisk.Op.FORCE, on ? faultRate : 0);
        }

        private WalImage current() {
            return possible.get(possible.size() - 1);
        }

        /** One frame: the next image is possible from the moment the write starts, acknowledged once a forced one returns. */
        private void writeSomething() {
            WalImage now = current();
            int what = random.nextInt(20);
            if (what < 2 && now.lastIndex() > now.compactedIndex()) {
                long upTo = now.compactedIndex() + 1 + random.nextInt((int) (now.lastIndex() - now.compactedIndex()));
                written(now.compact(upTo), () -> wal.log().compact(upTo), true);
            } else if (what == 3) {
                wal.sync(); // acknowledges every frame written so far, as a forced write does
                possible.clear();
                possible.add(now);
            } else if (what == 2) {
                long index = now.lastIndex() + random.nextInt(20);
                written(now.reset(index, term), () -> wal.log().reset(index, term), true);
            } else {
                ready(now, random.nextInt(4) != 0);
            }
        }

        /** A Ready: new entries (maybe cutting a suffix), a hard state, or both; forced or not (synced later). */
        private void ready(WalImage now, boolean force) {
            boolean entries = random.nextInt(4) != 0;
            boolean state = !entries || random.nextBoolean();
            List<LogEntry> batch = entries ? entriesAfter(now) : List.of();
            HardState hs = state ? nextHardState(now.hardState()) : null;
            WalImage next = now;
            next = entries ? next.append(batch) : next;
            next = state ? next.save(hs) : next;
            written(next, () -> wal.write(() -> {
                if (state) {
                    wal.hardState().save(hs);
                }
                if (entries) {
                    wal.log().append(batch);
                }
            }, force), force);
        }

        private List<LogEntry> entriesAfter(WalImage now) {
            if (random.nextInt(5) == 0) {
                term++;
            }
            long from = Math.max(now.compactedIndex() + 1, now.lastIndex() + 1 - random.nextInt(4));
            List<LogEntry> out = new ArrayList<>();
            for (long i = from, n = 1 + random.nextInt(5); i < from + n; i++) {
                byte[] data = new byte[random.nextInt(10) == 0 ? random.nextInt(3000) : random.nextInt(100)];
                random.nextBytes(data);
                out.add(LogEntry.command(term, i, data));
            }
            return out;
        }

        private HardState nextHardState(HardState old) {
            long t = Math.max(old.term(), term);
            String vote = random.nextBoolean() ? "n" + (1 + random.nextInt(3)) : null;
            return new HardState(t, vote, old.commitIndex() + random.nextInt(3));
        }

        private void written(WalImage next, Runnable write, boolean forced) {
            possible.add(next); // a failed write may still have reached the disk
            write.run();
            if (forced) {
                possible.clear();
                possible.add(next);
            }
        }

        private void crashAndCheck() {
            CrashMode mode = disk.crash();
            faults(false);
            WalImage found;
            try {
                wal = WalStorage.open(disk, DIR, segmentBytes, true);
                found = WalImage.of(wal);
            } catch (StorageException e) {
                throw failure("after a crash (" + mode + ") the log does not open: " + e.getMessage());
            }
            if (!possible.contains(found)) {
                throw failure("after a crash (" + mode + ") the log holds\n  " + found
                        + "\nbut the last acknowledged frame left\n  " + possible.get(0)
                        + "\nand the " + (possible.size() - 1) + " unacknowledged frames after it at most\n  " + current());
            }
            possible.clear();
            possible.add(found);
            faults(true);
        }

        private AssertionError failure(String what) {
            return new AssertionError("seed " + seed + ", step " + step + ", segments of " + segmentBytes
                    + " bytes: " + what + "\n  replay: mvn -o -q -pl raftstore-storage -am test -Dtest=WalCrashTest"
                    + " -Dsurefire.failIfNoSpecifiedTests=false -Dwal.crash.firstSeed=" + seed + " -Dwal.crash.seeds=1");
        }
    }
}
