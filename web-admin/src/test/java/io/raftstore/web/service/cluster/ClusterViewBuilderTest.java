package io.raftstore.web.service.cluster;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterViewBuilderTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:10Z");
    private final Map<String, URI> peers = new LinkedHashMap<>();

    ClusterViewBuilderTest() {
        for (int i = 1; i <= 3; i++) {
            peers.put("n" + i, URI.create("http://127.0.0.1:908" + i));
        }
    }

    private static List<NodeReport.MemberReport> members(Long contactN2, Long contactN3) {
        return List.of(new NodeReport.MemberReport("n1", "a1", "LEADER", true, true, 10L, 0L, null),
                new NodeReport.MemberReport("n2", "a2", "FOLLOWER", true, true, 10L, 0L, contactN2),
                new NodeReport.MemberReport("n3", "a3", "FOLLOWER", true, true, 4L, 6L, contactN3));
    }

    private NodeReport report(String id, String role, long term, String leader, long commit, long applied) {
        return new NodeReport(id, peers.get(id), null, role, term, leader, commit, applied, true, members(20L, 30L));
    }

    @Test
    void oneLeaderAndLagAgainstItsCommit() {
        List<NodeReport> reports = List.of(report("n1", "LEADER", 3, "n1", 10, 10),
                report("n2", "FOLLOWER", 3, "n1", 10, 10), report("n3", "FOLLOWER", 3, "n1", 4, 4));
        ClusterView v = ClusterViewBuilder.build(peers, reports, new LagClock(), NOW);
        assertEquals("n1", v.leaderId());
        assertEquals(1, v.rows().stream().filter(MemberRow::leader).count());
        MemberRow n3 = v.rows().get(2);
        assertEquals(6L, n3.lagEntries());
        assertEquals(30L, n3.lastContactMillis());
        assertTrue(v.quorum());
        assertTrue(v.headline().startsWith("n1 leads term 3"), v.headline());
    }

    /**
     * A paused follower (its server takes connections but does not answer) is told from a killed one, and the
     * leader's match index still says how far behind it is (issue 19: it showed DOWN with lag "—").
     */
    @Test
    void aHungFollowerIsUnreachableAndBehindByTheLeadersMatchIndex() {
        List<NodeReport> reports = List.of(report("n1", "LEADER", 3, "n1", 10, 10),
                NodeReport.unreachable("n2", peers.get("n2"), "connection refused"),
                NodeReport.unreachable("n3", peers.get("n3"), PeerClient.NO_ANSWER));
        ClusterView v = ClusterViewBuilder.build(peers, reports, new LagClock(), NOW);
        MemberRow n2 = v.rows().get(1);
        MemberRow n3 = v.rows().get(2);
        assertEquals(ClusterViewBuilder.DOWN, n2.role());
        assertEquals(ClusterViewBuilder.UNREACHABLE, n3.role());
        assertEquals(6L, n3.lagEntries(), "leader's commit 10, n3's match 4");
        assertEquals(4L, n3.matchIndex());
        assertEquals(30L, n3.lastContactMillis());
        assertEquals(0L, n2.lagEntries());
        assertFalse(n3.live());
        List<NodeReport.MemberReport> newLeadersView = List.of(
                new NodeReport.MemberReport("n1", "a1", "LEADER", true, true, 10L, 0L, null),
                new NodeReport.MemberReport("n2", "a2", "FOLLOWER", true, true, 10L, 0L, 20L),
                new NodeReport.MemberReport("n3", "a3", "FOLLOWER", true, false, 0L, 10L, 1900L));
        ClusterView afterFailover = ClusterViewBuilder.build(peers, List.of(
                new NodeReport("n1", peers.get("n1"), null, "LEADER", 4, "n1", 10, 10, true, newLeadersView),
                report("n2", "FOLLOWER", 4, "n1", 10, 10),
                NodeReport.unreachable("n3", peers.get("n3"), "connection refused")), new LagClock(), NOW);
        assertNull(afterFailover.rows().get(2).lagEntries(),
                "a new leader that never heard from the dead old one does not know how far behind it is");
        assertEquals("n1 leads term 3. 1 of 3 nodes ready, 1 down, 1 not answering.",
                ClusterViewBuilder.headline("n1", 3, true, 1, 3, v.rows()), "the headline says which is which");
    }

    @Test
    void aStaleLeaderLosesToTheHigherTerm() {
        List<NodeReport> reports = List.of(report("n1", "LEADER", 3, "n1", 10, 10),
                report("n2", "LEADER", 4, "n2", 11, 11), report("n3", "FOLLOWER", 4, "n2", 11, 11));
        ClusterView v = ClusterViewBuilder.build(peers, reports, new LagClock(), NOW);
        assertEquals("n2", v.leaderId());
        assertEquals(List.of(false, true, false), v.rows().stream().map(MemberRow::leader).toList());
    }

    @Test
    void aConfiguredNodeTheLeaderRemovedNoLongerCountsTowardsTheQuorum() {
        List<NodeReport.MemberReport> withoutN3 = members(20L, 30L).subList(0, 2);
        List<NodeReport> reports = List.of(
                new NodeReport("n1", peers.get("n1"), null, "LEADER", 3, "n1", 12, 12, true, withoutN3),
                new NodeReport("n2", peers.get("n2"), null, "FOLLOWER", 3, "n1", 12, 12, true, withoutN3),
                report("n3", "FOLLOWER", 3, "n1", 10, 10)); // still running, unaware of its removal
        ClusterView v = ClusterViewBuilder.build(peers, reports, new LagClock(), NOW);
        assertEquals(2, v.voters());
        assertEquals(2, v.votersUp());
        MemberRow n3 = v.rows().get(2);
        assertEquals(ClusterViewBuilder.REMOVED, n3.role());
        assertFalse(n3.voter());
    }

    @Test
    void noLeaderWithQuorumSaysElection() {
        List<NodeReport> reports = List.of(NodeReport.unreachable("n1", peers.get("n1"), "connection refused"),
                report("n2", "CANDIDATE", 5, null, 10, 10), report("n3", "FOLLOWER", 5, null, 10, 10));
        ClusterView v = ClusterViewBuilder.build(peers, reports, new LagClock(), NOW);
        assertNull(v.leaderId());
        assertTrue(v.quorum());
        assertTrue(v.headline().startsWith("No leader"), v.headline());
        assertEquals("DOWN", v.rows().get(0).role());
        assertEquals("bad", v.getSeverity());
    }

    @Test
    void twoOfThreeDownIsNoQuorum() {
        List<NodeReport> reports = List.of(NodeReport.unreachable("n1", peers.get("n1"), "refused"),
                NodeReport.unreachable("n2", peers.get("n2"), "refused"), report("n3", "FOLLOWER", 5, null, 10, 10));
        ClusterView v = ClusterViewBuilder.build(peers, reports, new LagClock(), NOW);
        assertFalse(v.quorum());
        assertEquals(1, v.votersUp());
        assertTrue(v.headline().startsWith("No quorum: 1 of 3 voters answer and 2 are needed"), v.headline());
    }

    @Test
    void aLeaderThatDoesNotAnswerIsNamedByTheOthers() {
        List<NodeReport> reports = List.of(NodeReport.unreachable("n1", peers.get("n1"), "HTTP 404"),
                report("n2", "FOLLOWER", 2, "n1", 3, 3), report("n3", "FOLLOWER", 2, "n1", 3, 3));
        ClusterView v = ClusterViewBuilder.build(peers, reports, new LagClock(), NOW);
        assertEquals("n1", v.leaderId());
        assertTrue(v.rows().get(0).leader());
        assertTrue(v.headline().contains("does not answer the console"), v.headline());
    }
}
