package io.raftstore.web.console.history;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistoryMergerTest {

    private static ObservedChange seen(String node, int second, long term, String old, String now, String cause, long ms) {
        return new ObservedChange(node, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(second), term, old, now, cause, ms);
    }

    @Test
    void oneEntryPerTermWithTheMostSpecificCauseAndLongestLeaderlessTime() {
        List<LeadershipChange> merged = HistoryMerger.merge(List.of(
                seen("n2", 10, 3, "n1", "n2", "ELECTION_TIMEOUT", 240),
                seen("n3", 11, 3, "n1", "n2", "ELECTION_TIMEOUT", 310),
                seen("n1", 12, 3, "n1", "n2", "HIGHER_TERM", 0),
                seen("n2", 20, 4, "n2", "n3", "TRANSFER", 0),
                seen("n3", 20, 4, "n2", "n3", "HIGHER_TERM", 12)));
        assertEquals(2, merged.size());
        LeadershipChange transfer = merged.get(0);
        assertEquals(4, transfer.term());
        assertEquals("TRANSFER", transfer.cause());
        assertEquals(12, transfer.leaderlessMillis());
        LeadershipChange election = merged.get(1);
        assertEquals("ELECTION_TIMEOUT", election.cause());
        assertEquals(310, election.leaderlessMillis());
        assertEquals("n1", election.oldLeader());
        assertEquals("n2", election.newLeader());
        assertEquals(Instant.parse("2026-01-01T00:00:10Z"), election.time(), "when the first node learned of it");
        assertEquals(List.of("n1", "n2", "n3"), election.observers());
    }

    @Test
    void aRestartedNodesStartupReportDoesNotInflateTheLeaderlessTime() {
        List<LeadershipChange> merged = HistoryMerger.merge(List.of(
                seen("n2", 10, 3, "n1", "n2", "ELECTION_TIMEOUT", 200),
                seen("n1", 90, 3, null, "n2", "STARTUP", 60_000)));
        assertEquals(1, merged.size());
        assertEquals(200, merged.get(0).leaderlessMillis());
        assertEquals("ELECTION_TIMEOUT", merged.get(0).cause());
    }

    @Test
    void aLostLeaderWithoutSuccessorShowsOnlyAsTheLatestTerm() {
        List<LeadershipChange> merged = HistoryMerger.merge(List.of(
                seen("n2", 5, 2, null, "n1", "STARTUP", 0),
                seen("n2", 10, 2, "n1", null, "ELECTION_TIMEOUT", 0),
                seen("n2", 12, 3, null, "n2", "ELECTION_TIMEOUT", 150),
                seen("n2", 30, 3, "n2", null, "LOST_QUORUM", 0)));
        assertEquals(2, merged.size(), "terms 2 and 3, each by its election");
        assertEquals("n2", merged.get(0).newLeader());
        List<LeadershipChange> leaderless = HistoryMerger.merge(List.of(
                seen("n2", 10, 2, null, "n1", "STARTUP", 0), seen("n3", 40, 5, "n1", null, "LOST_QUORUM", 0)));
        assertNull(leaderless.get(0).newLeader());
        assertEquals(5, leaderless.get(0).term());
    }

    @Test
    void chartsDrawOneMarkPerChangeAndEscapeText() {
        List<LeadershipChange> merged = HistoryMerger.merge(List.of(
                seen("n2", 10, 3, "n1", "n<2>", "ELECTION_TIMEOUT", 240),
                seen("n2", 20, 4, "n<2>", "n3", "TRANSFER", 10)));
        String bars = HistoryChart.leaderlessBars(merged);
        String line = HistoryChart.timeline(merged, Instant.parse("2026-01-01T00:01:00Z"));
        assertEquals(2, bars.split("<rect ", -1).length - 1);
        assertEquals(2, line.split("<circle ", -1).length - 1);
        assertTrue(line.contains("n&lt;2&gt;") && !line.contains("n<2>"));
        assertTrue(HistoryChart.leaderlessBars(List.of()).contains("no failovers"));
    }

    /**
     * Issue 19 (4): the scale is rounded up from the longest failover and labelled, and the time axis starts
     * shortly before the first change, not at the range's empty start, so marks do not crowd at the right edge.
     */
    @Test
    void chartsAreScaledToTheDataWithLabelledAxes() {
        assertEquals(500, HistoryChart.niceCeiling(240));
        assertEquals(100, HistoryChart.niceCeiling(100));
        assertEquals(2000, HistoryChart.niceCeiling(1885));
        assertEquals(1, HistoryChart.niceCeiling(0));
        List<LeadershipChange> merged = HistoryMerger.merge(List.of(
                seen("n2", 10, 3, "n1", "n2", "ELECTION_TIMEOUT", 240),
                seen("n2", 20, 4, "n2", "n3", "TRANSFER", 10)));
        String bars = HistoryChart.leaderlessBars(merged);
        assertTrue(bars.contains(">0 ms<") && bars.contains(">250 ms<") && bars.contains(">500 ms<"), bars);
        String line = HistoryChart.timeline(merged, Instant.parse("2026-01-01T01:00:00Z"));
        assertEquals(5, line.split("<text class=\"tick\" x=\"[0-9.]+\" y=\"162\"", -1).length - 1,
                "five times along the axis: " + line);
        double firstMark = Double.parseDouble(line.replaceAll("(?s).*?<circle [^>]*cx=\"([0-9.]+)\".*", "$1"));
        assertTrue(firstMark < 100, "the first change sits near the left of the axis, at " + firstMark);
    }
}
