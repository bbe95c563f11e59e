package io.raftstore.bench.jca;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadRunnerTest {

    @Test
    void percentilesPickTheRankedSample() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = i + 1;
        }
        assertEquals(50, LoadRunner.percentile(sorted, 0.50));
        assertEquals(99, LoadRunner.percentile(sorted, 0.99));
        assertEquals(7, LoadRunner.percentile(new long[] {7}, 0.99));
    }

    @Test
    void measuresOnlyTheMeasuredPeriodAndCountsErrorsApart() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            LoadResult r = new LoadRunner(pool).run((caller, n) -> {
                Thread.sleep(2);
                if (n % 10 == 9) {
                    throw new IllegalStateException("every tenth call fails");
                }
            }, 2, 100, 400);
            assertTrue(r.calls() > 50 && r.calls() < 400, r.toString());
            assertTrue(r.errors() > 0 && r.errors() < r.calls(), r.toString());
            assertTrue(r.p50Micros() >= 2000 && r.p99Micros() >= r.p50Micros(), r.toString());
        } finally {
            pool.shutdownNow();
        }
    }
}
