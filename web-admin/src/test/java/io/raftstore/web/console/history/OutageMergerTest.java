package io.raftstore.web.console.history;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutageMergerTest {

    private static final Instant T0 = Instant.parse("2026-12-03T03:28:00Z");

    private static OutageMerger.Observed seen(String observer, int second, String peer, boolean reachable) {
        return new OutageMerger.Observed(observer, T0.plusSeconds(second), peer, reachable);
    }

    /** Issue 19 (3): "n3 was down 03:28:20–03:29:21" can be read, seen by both other nodes. */
    @Test
    void bothOthersLosingANodeIsOneOutageFromTheFirstLossToItsReturn() {
        List<Outage> outages = OutageMerger.merge(List.of(
                seen("n1", 20, "n3", false), seen("n2", 21, "n3", false),
                seen("n1", 81, "n3", true), seen("n2", 80, "n3", true)));
        assertEquals(1, outages.size());
        Outage o = outages.get(0);
        assertEquals("n3", o.node());
        assertEquals("2026-12-03 03:28:20", o.getFromText());
        assertEquals("2026-12-03 03:29:21", o.getUntilText());
        assertEquals("n1, n2", o.getObservers());
        assertEquals("1 min 1 s", o.duration(T0.plusSeconds(500)));
    }

    @Test
    void separateOutagesAreNewestFirstAndOneStillGoingSaysSo() {
        List<Outage> outages = OutageMerger.merge(List.of(
                seen("n1", 0, "n3", false), seen("n1", 10, "n3", true),
                seen("n1", 100, "n3", false),
                seen("n2", 50, "n1", false), seen("n2", 55, "n1", true)));
        assertEquals(List.of("n3@100", "n1@50", "n3@0"),
                outages.stream().map(o -> o.node() + "@" + (o.from().getEpochSecond() - T0.getEpochSecond())).toList());
        assertNull(outages.get(0).until());
        assertTrue(outages.get(0).isOngoing());
        assertEquals("still unreachable", outages.get(0).getUntilText());
        assertEquals("30.0 s", outages.get(0).duration(T0.plusSeconds(130)));
    }

    /** An observer that died while n3 was down reports it lost for ever; the others saw it come back. */
    @Test
    void aDeadObserversEndlessLossDoesNotKeepAnOutageOpen() {
        List<Outage> outages = OutageMerger.merge(List.of(
                seen("n2", 20, "n3", false), seen("n1", 21, "n3", false), seen("n1", 60, "n3", true)));
        assertEquals(1, outages.size());
        assertEquals(T0.plusSeconds(60), outages.get(0).until());
        assertEquals("n1, n2", outages.get(0).getObservers());
    }

    @Test
    void aReturnWithoutALossAndRepeatedLossesAreTolerated() {
        List<Outage> outages = OutageMerger.merge(List.of(
                seen("n1", 5, "n3", true), seen("n1", 10, "n3", false), seen("n1", 12, "n3", false),
                seen("n1", 20, "n3", true)));
        assertEquals(1, outages.size());
        assertEquals(T0.plusSeconds(10), outages.get(0).from());
        assertEquals(T0.plusSeconds(20), outages.get(0).until());
    }
}
