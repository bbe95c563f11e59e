package io.raftstore.web.service.cluster;

import java.net.URI;
import java.util.List;

/**
 * What one node said about itself and the cluster at {@code /api/cluster/status}, or why it said nothing.
 *
 * @param error   null when the node answered; otherwise what went wrong (timeout, refused, HTTP status)
 * @param members the node's view of every member (as complete as the node knows: only a leader knows
 *                match indexes and last contact)
 */
public record NodeReport(String nodeId, URI url, String error, String role, long term, String leaderId,
                         long commitIndex, long lastApplied, boolean ready, List<MemberReport> members) {

    public NodeReport {
        members = List.copyOf(members);
    }

    /** A node that did not answer. */
    public static NodeReport unreachable(String nodeId, URI url, String error) {
        return new NodeReport(nodeId, url, error, null, 0, null, 0, 0, false, List.of());
    }

    public boolean answered() {
        return error == null;
    }

    public boolean leads() {
        return answered() && "LEADER".equals(role);
    }

    /**
     * One member as a node sees it.
     *
     * @param matchIndex        null unless the reporting node leads
     * @param lastContactMillis null unless the reporting node leads
     */
    public record MemberReport(String id, String address, String role, boolean voter, boolean reachable,
                               Long matchIndex, Long lag, Long lastContactMillis) {
    }
}
