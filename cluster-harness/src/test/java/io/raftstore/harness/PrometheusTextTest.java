package io.raftstore.harness;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrometheusTextTest {

    private static final String SCRAPE = """
            # HELP raftstore_leader_changes_total a new leader became known
            # TYPE raftstore_leader_changes_total counter
            raftstore_leader_changes_total{cause="election_timeout",mp_scope="application",} 2.0
            raftstore_leader_changes_total{cause="startup",mp_scope="application",} 1.0
            # TYPE raftstore_fsync_seconds histogram
            raftstore_fsync_seconds_bucket{le="0.001"} 3.0 1700000000000
            raftstore_fsync_seconds_bucket{le="+Inf"} 7.0
            raftstore_follower_lag{member="n2"} NaN
            odd_label{path="a\\"b\\\\c\\nd", x = "y" } +Inf
            """;

    @Test
    void readsSamplesLabelsTypesAndSpecialValues() {
        PrometheusText t = PrometheusText.parse(SCRAPE);
        assertEquals(6, t.samples().size());
        assertEquals("counter", t.type("raftstore_leader_changes_total"));
        assertEquals(3.0, t.sum("raftstore_leader_changes_total"));
        assertEquals(2.0, t.sum("raftstore_leader_changes_total", Map.of("cause", "election_timeout")));
        assertEquals(7.0, t.sum("raftstore_fsync_seconds_bucket", Map.of("le", "+Inf")));
        assertTrue(Double.isNaN(t.sum("raftstore_follower_lag", Map.of("member", "n2"))));
        assertEquals("a\"b\\c\nd", t.find("odd_label", Map.of()).get(0).labels().get("path"));
        assertEquals(Double.POSITIVE_INFINITY, t.sum("odd_label", Map.of("x", "y")));
    }

    @Test
    void malformedTextFailsWithItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrometheusText.parse("ok 1\nbad{le=\"1\" 2\n"));
        assertTrue(e.getMessage().startsWith("line 2 "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("name notanumber"));
    }

    @Test
    void aMissingMetricSaysWhatTheScrapeHeld() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PrometheusText.parse(SCRAPE).sum("raftstore_term"));
        assertTrue(e.getMessage().contains("raftstore_fsync_seconds_bucket"), e.getMessage());
    }
}
