package io.raftstore.jca.session;

import io.raftstore.api.ReadConsistency;
import io.raftstore.api.TransactionConflictException;
import io.raftstore.api.Versioned;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bank transfers from several threads, each in its own transaction: conflicts happen, the total never changes. */
class ConcurrentTransfersTest {

    private static final int ACCOUNTS = 5;
    private static final int START = 1000;
    private static final long SEED = 42;

    @Test
    void transfersPreserveTheTotalAndConflictsAreReported() throws Exception {
        InMemoryGateway store = new InMemoryGateway();
        for (int i = 0; i < ACCOUNTS; i++) {
            store.externalPut("acct/" + i, Integer.toString(START));
        }
        AtomicInteger committed = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            Random random = new Random(SEED + w);
            workers.add(pool.submit(() -> {
                for (int n = 0; n < 200; n++) {
                    int from = random.nextInt(ACCOUNTS);
                    int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                    BufferedTransaction tx = new BufferedTransaction(store);
                    long a = balance(tx, from);
                    long b = balance(tx, to);
                    int amount = random.nextInt(50);
                    Thread.yield(); // widen the window between read and commit
                    tx.put("acct/" + from, bytes(a - amount));
                    tx.put("acct/" + to, bytes(b + amount));
                    try {
                        tx.commit();
                        committed.incrementAndGet();
                    } catch (TransactionConflictException e) {
                        conflicts.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        long total = 0;
        for (int i = 0; i < ACCOUNTS; i++) {
            total += Long.parseLong(store.value("acct/" + i));
        }
        assertEquals((long) ACCOUNTS * START, total, "money created or destroyed (seed " + SEED + ")");
        assertEquals(800, committed.get() + conflicts.get());
        assertTrue(committed.get() > 0, "nothing committed");
    }

    private static long balance(BufferedTransaction tx, int account) {
        return tx.get("acct/" + account, ReadConsistency.LINEARIZABLE).map(Versioned::asString).map(Long::parseLong).orElse(0L);
    }

    private static byte[] bytes(long value) {
        return Long.toString(value).getBytes(StandardCharsets.UTF_8);
    }
}
