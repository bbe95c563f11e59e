package io.raftstore.web.service.cluster;

import java.time.Instant;
import java.util.List;

/**
 * The cluster as the console shows it: every member's row and a plain verdict.
 *
 * @param leaderId    null when no node leads (or none that answers does)
 * @param quorum      a majority of voters answer; without it no leader can be elected and writes stop
 * @param headline    one sentence for the top of the page
 */
public record ClusterView(Instant at, List<MemberRow> rows, String leaderId, long term, boolean quorum,
                          int votersUp, int voters, String headline) {

    public ClusterView {
        rows = List.copyOf(rows);
    }

    public boolean isHealthy() {
        return leaderId != null && quorum && rows.stream().allMatch(r -> r.live() && r.ready());
    }

    /** "ok", "warn" or "bad": the colour of the headline. */
    public String getSeverity() {
        if (leaderId == null || !quorum) {
            return "bad";
        }
        return isHealthy() ? "ok" : "warn";
    }

    public Instant getAt() { return at; }
    public List<MemberRow> getRows() { return rows; }
    public String getLeaderId() { return leaderId; }
    public long getTerm() { return term; }
    public boolean isQuorum() { return quorum; }
    public int getVotersUp() { return votersUp; }
    public int getVoters() { return voters; }
    public String getHeadline() { return headline; }
}
