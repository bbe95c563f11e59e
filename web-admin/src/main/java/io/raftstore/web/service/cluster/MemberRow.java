package io.raftstore.web.service.cluster;

/**
 * One line of the overview: a member as it reports itself, measured against the leader.
 *
 * @param role              what the node says it is; {@code DOWN} when its server refuses connections, {@code
 *                          UNREACHABLE} when it does not answer in time (see {@link ClusterViewBuilder})
 * @param leader            this is the one leader the console recognises (highest term among those leading)
 * @param lagEntries        leader's commit index minus this node's applied index; for a node that does not
 *                          answer, minus its match index as the leader knows it; null when unknown
 * @param lagMillis         how old this node's oldest unapplied commit is; null when unknown
 * @param lastContactMillis since the leader last heard from this node; null when unknown
 * @param matchIndex        how far the leader knows this node's log matches its own; null when unknown
 */
public record MemberRow(String id, String url, String raftAddress, String role, boolean leader, boolean voter,
                        Long term, boolean live, boolean ready, Long commitIndex, Long applied, Long lagEntries,
                        Long lagMillis, Long lastContactMillis, String error, Long matchIndex) {

    /** CSS modifier for the row, so state reads at a glance. */
    public String getStyle() {
        if (!live) {
            return "down";
        }
        if (leader) {
            return "leader";
        }
        return ready ? "ok" : "warn";
    }

    // Faces EL resolves bean properties, not record accessors: expose the components as getters.
    public String getId() { return id; }
    public String getUrl() { return url; }
    public String getRaftAddress() { return raftAddress; }
    public String getRole() { return role; }
    public boolean isLeader() { return leader; }
    public boolean isVoter() { return voter; }
    public Long getTerm() { return term; }
    public boolean isLive() { return live; }
    public boolean isReady() { return ready; }
    public Long getCommitIndex() { return commitIndex; }
    public Long getApplied() { return applied; }
    public Long getLagEntries() { return lagEntries; }
    public Long getLagMillis() { return lagMillis; }
    public Long getLastContactMillis() { return lastContactMillis; }
    public String getError() { return error; }
    public Long getMatchIndex() { return matchIndex; }
}
