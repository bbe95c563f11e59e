package io.raftstore.web.console.cluster;

import io.raftstore.web.service.cluster.ClusterViewBuilder;
import io.raftstore.web.service.cluster.MemberRow;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemberTextTest {

    private static final Instant AT = Instant.parse("2026-12-03T05:12:15Z");

    private static MemberRow row(String role, boolean live, Long lagEntries, Long lagMillis, Long contact, String error) {
        return row(role, live, lagEntries, lagMillis, contact, error, null);
    }

    private static MemberRow row(String role, boolean live, Long lagEntries, Long lagMillis, Long contact, String error,
                                 Long matchIndex) {
        return new MemberRow("n3", "http://127.0.0.1:9083", "a3", role, false, true, live ? 3L : null, live, live,
                null, null, lagEntries, lagMillis, contact, error, matchIndex);
    }

    @Test
    void aRecentContactIsAgoAndALongSilenceSaysSinceWhen() {
        assertEquals("320 ms ago", MemberText.contact(row("FOLLOWER", true, 0L, 0L, 320L, null), AT));
        assertEquals("none for 12.0 s, since 05:12:03 UTC",
                MemberText.contact(row(ClusterViewBuilder.UNREACHABLE, false, 5L, null, 12_000L, null), AT));
        assertEquals("—", MemberText.contact(row("FOLLOWER", true, 0L, 0L, null, null), AT));
        assertEquals("none since the leader took over, 1.9 s ago",
                MemberText.contact(row(ClusterViewBuilder.DOWN, false, null, null, 1_900L, "connection refused", 0L), AT));
    }

    @Test
    void lagSaysEntriesAndAgeOrHowFarASilentNodesLogIsBehind() {
        assertEquals("up to date", MemberText.lag(row("FOLLOWER", true, 0L, 0L, 20L, null)));
        assertEquals("3 entries, 120 ms", MemberText.lag(row("FOLLOWER", true, 3L, 120L, 20L, null)));
        assertEquals("behind by 120 entries",
                MemberText.lag(row(ClusterViewBuilder.UNREACHABLE, false, 120L, null, 9_000L, null)));
        assertEquals("—", MemberText.lag(row(ClusterViewBuilder.DOWN, false, null, null, null, "connection refused")));
    }

    @Test
    void aHungNodeIsToldFromADeadOneAndFromOneWhoseWebSideAloneIsSilent() {
        assertTrue(MemberText.silence(row(ClusterViewBuilder.UNREACHABLE, false, 1L, null, 9_000L, "no answer in time"))
                .startsWith("takes connections but does not answer"));
        assertTrue(MemberText.silence(row(ClusterViewBuilder.DOWN, false, null, null, null, "connection refused"))
                .startsWith("refuses connections: its server is not running"));
        assertTrue(MemberText.silence(row(ClusterViewBuilder.UNREACHABLE, false, 0L, null, 40L, "no answer in time", 7L))
                .contains("the leader still hears from it"));
        // A new leader that never heard from the dead old one counts its "last contact" from its own election.
        assertFalse(MemberText.silence(row(ClusterViewBuilder.DOWN, false, null, null, 900L, "connection refused", 0L))
                .contains("still hears"));
        assertFalse(MemberText.silence(row(ClusterViewBuilder.DOWN, false, null, null, 1_900L, "connection refused", 7L))
                .contains("still hears"));
        assertEquals("", MemberText.silence(row("FOLLOWER", true, 0L, 0L, 40L, null)));
    }
}
