package io.raftstore.storage.h2;

import io.raftstore.core.LogEntry;
import io.raftstore.kv.KvCommand;
import io.raftstore.kv.KvResult;
import io.raftstore.node.storage.NodeStorage;
import io.raftstore.storage.LogStoreKind;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Crash safety with real process death: a child JVM ({@link CrashChild}) writes through the H2 storage
 * and reports each acknowledged entry; the test kills it with SIGKILL at seeded random moments, many
 * times, and after each kill checks that every acknowledged entry is present, nothing was applied twice
 * and the applied index matches the data. Replay a failure with {@code -Dcrash.seed=<seed>}.
 */
class H2CrashSafetyTest {
    private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(Long.getLong("crash.seconds", 30));
    private static final int MAX_ROUNDS = Integer.getInteger("crash.rounds", 30);
    private static final int MIN_ROUNDS = 8;

    @TempDir
    Path dir;
    private final AtomicInteger reinstalls = new AtomicInteger();

    @ParameterizedTest
    @EnumSource(LogStoreKind.class)
    void acknowledgedEntriesSurviveSigkillAndNothingIsAppliedTwice(LogStoreKind store) throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("H2CrashSafetyTest, log store " + store.value() + ", seed " + seed
                + " (replay with -Dcrash.seed=" + seed + ")");
        Random random = new Random(seed);
        Map<Long, Long> acked = new TreeMap<>(); // index -> sequence, as last acknowledged
        long maxApplied = 0;
        long start = System.nanoTime();
        int rounds = 0;
        // The budget is shared by the two log stores.
        while (rounds < MAX_ROUNDS && (rounds < MIN_ROUNDS || System.nanoTime() - start < BUDGET_NANOS / 2)) {
            rounds++;
            int killAfterLines = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(600);
            long extraDelayMillis = random.nextInt(30);
            long[] applied = runAndKill(store, random.nextLong(), killAfterLines, extraDelayMillis, acked);
            maxApplied = applied[0] < 0 ? -applied[0] : Math.max(maxApplied, applied[0]);
            verify(store, acked, maxApplied, "seed " + seed + " round " + rounds);
        }
        assertTrue(acked.size() > 100, "too little was written to prove anything: " + acked.size());
        System.out.println("H2CrashSafetyTest: " + rounds + " kills, " + acked.size() + " entries acknowledged, "
                + reinstalls.get() + " snapshot reinstalls");
    }

    /** Runs the child until it printed {@code killAfterLines} lines (plus a delay), then SIGKILLs it. */
    private long[] runAndKill(LogStoreKind store, long childSeed, int killAfterLines, long delayMillis,
                              Map<Long, Long> acked)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), CrashChild.class.getName(), dir.toString(),
                Long.toString(childSeed), store.value()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        AtomicLong applied = new AtomicLong();
        AtomicInteger lines = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    String[] f = line.split(" ");
                    if (f[0].equals("A")) {
                        synchronized (acked) {
                            acked.put(Long.parseLong(f[1]), Long.parseLong(f[2]));
                        }
                    } else if (f[0].equals("P")) {
                        applied.set(Long.parseLong(f[1]));
                    } else if (f[0].equals("R")) {
                        applied.set(-Long.parseLong(f[1])); // a reinstall: only the snapshot index is promised
                        reinstalls.incrementAndGet();
                    }
                    if (lines.incrementAndGet() >= killAfterLines) {
                        enough.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the pipe breaks when the child is killed
            }
            enough.countDown();
        });
        reader.start();
        if (killAfterLines > 0) {
            enough.await(20, TimeUnit.SECONDS);
        }
        Thread.sleep(delayMillis); // a kill at startup when killAfterLines is 0
        // The child never stops on its own (it writes for a minute): if it already has, it could not start from
        // what the previous kill left, and every later round would prove nothing.
        if (!child.isAlive()) {
            fail("the child exited by itself (status " + child.exitValue() + ") before the kill; its error is above");
        }
        child.destroyForcibly();
        assertTrue(child.waitFor(20, TimeUnit.SECONDS), "child did not die");
        reader.join(10_000);
        return new long[] {applied.get()};
    }

    private void verify(LogStoreKind store, Map<Long, Long> acked, long maxApplied, String where) {
        try (NodeStorage s = NodeStorage.open(dir, H2StorageConfig.DEFAULT.withLogStore(store))) {
            long first = s.log().firstIndex();
            long last = s.log().lastIndex();
            long snapshotIndex = s.snapshots().latest().map(m -> m.index()).orElse(0L);
            for (Map.Entry<Long, Long> e : acked.entrySet()) {
                long index = e.getKey();
                assertTrue(index <= last, where + ": acknowledged entry " + index + " lost, log ends at " + last);
                if (index >= first) {
                    LogEntry entry = s.log().entries(index, index, Long.MAX_VALUE).get(0);
                    assertEquals(e.getValue(), entry.sequence(), where + ": entry " + index);
                    assertArrayEquals(CrashChild.payload(e.getValue()), entry.data(), where + ": entry " + index);
                } else {
                    assertTrue(index <= snapshotIndex, where + ": entry " + index + " compacted without a snapshot");
                }
            }
            // Applies ride with the next commit, so a crash may take the last ones back; recovery re-applies
            // them from the durable log, and nothing reported applied stays lost.
            s.recover();
            long applied = s.stateMachine().appliedIndex();
            assertTrue(applied >= maxApplied, where + ": applied index went back from " + maxApplied + " to " + applied
                    + " even after recovery");
            assertEquals(s.hardState().load().commitIndex(), applied, where);
            long lastSequence = applied < first ? -1 : s.log().entries(applied, applied, Long.MAX_VALUE).get(0).sequence();
            long count = CrashChild.counter(s);
            if (lastSequence >= 0) {
                // Each sequence increments the counter once: a double application would overshoot.
                assertEquals(lastSequence, count, where + ": counter vs last applied sequence at index " + applied);
                KvResult marker = s.stateMachine().read(new KvCommand.Get("s" + lastSequence));
                assertTrue(marker instanceof KvResult.Value, where + ": write of sequence " + lastSequence + " missing");
            }
            List<Long> sequencesInLog = s.log().entries(first, last, Long.MAX_VALUE).stream().map(LogEntry::sequence).toList();
            for (int i = 1; i < sequencesInLog.size(); i++) {
                long step = sequencesInLog.get(i) - sequencesInLog.get(i - 1);
                assertTrue(step == 0 || step == 1, where + ": sequences jump in the log at " + (first + i));
            }
        }
    }
}
