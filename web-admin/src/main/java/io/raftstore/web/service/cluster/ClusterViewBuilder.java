package io.raftstore.web.service.cluster;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Combines every node's own report into one {@link ClusterView}; pure, so it is tested without a cluster. */
public final class ClusterViewBuilder {

    /** The role shown for a configured node that still answers but is not in the leader's configuration. */
    public static final String REMOVED = "REMOVED";
    /** The role shown for a node that refuses the console's connection: its server is not running. */
    public static final String DOWN = "DOWN";
    /**
     * The role shown for a node whose server takes connections but does not answer in time: hung, paused, or
     * cut off by the network. Told apart from {@link #DOWN}, because it may come back by itself, with its state.
     */
    public static final String UNREACHABLE = "UNREACHABLE";

    private ClusterViewBuilder() {
    }

    /**
     * @param configured every node's HTTP URL by id, in display order
     * @param reports    one report per configured node, answered or not
     */
    public static ClusterView build(Map<String, URI> configured, List<NodeReport> reports, LagClock lag, Instant now) {
        Map<String, NodeReport> byId = new LinkedHashMap<>();
        reports.forEach(r -> byId.put(r.nodeId(), r));
        // Two nodes may both claim to lead for a moment (an old leader not yet told): the higher term wins.
        Optional<NodeReport> leader = reports.stream().filter(NodeReport::leads)
                .max(Comparator.comparingLong(NodeReport::term));
        Map<String, NodeReport.MemberReport> view = membersAsSeenBy(leader.orElse(null), reports);
        long leaderCommit = leader.map(NodeReport::commitIndex).orElse(-1L);
        String silentLeader = leader.isPresent() ? null : leaderNamedByMajority(reports);
        leader.ifPresent(l -> lag.observe(l.commitIndex(), now.toEpochMilli()));

        Set<String> ids = new LinkedHashSet<>(configured.keySet());
        ids.addAll(view.keySet());
        // The leader's configuration says who is a member: a configured node that was removed no longer
        // counts towards the quorum, even while it still answers (it may not have learned of its removal).
        Set<String> members = leader.map(l -> l.members().stream().map(NodeReport.MemberReport::id)
                .collect(Collectors.toSet())).orElse(null);
        List<MemberRow> rows = new ArrayList<>();
        int voters = 0;
        int votersUp = 0;
        for (String id : ids) {
            NodeReport r = byId.get(id);
            NodeReport.MemberReport m = view.get(id);
            boolean member = members == null || members.contains(id);
            boolean voter = member && (m == null || m.voter());
            boolean live = r != null && r.answered();
            if (voter) {
                voters++;
                votersUp += live ? 1 : 0;
            }
            MemberRow row = row(id, configured.get(id), r, m, voter, leader.orElse(null), leaderCommit, lag, now);
            rows.add(member || !live ? row : new MemberRow(id, row.url(), row.raftAddress(), REMOVED, false, false,
                    row.term(), true, row.ready(), row.commitIndex(), row.applied(), null, null, null, null, null));
        }
        boolean quorum = votersUp >= voters / 2 + 1;
        String leaderId = leader.map(NodeReport::nodeId).orElse(silentLeader);
        if (silentLeader != null) {
            rows.replaceAll(r -> r.id().equals(silentLeader) ? markLeader(r) : r);
        }
        long term = leader.map(NodeReport::term)
                .orElse(reports.stream().filter(NodeReport::answered).mapToLong(NodeReport::term).max().orElse(0));
        String headline = silentLeader != null
                ? silentLeader + " leads term " + term + " according to the other nodes, but does not answer the console."
                : headline(leaderId, term, quorum, votersUp, voters, rows);
        return new ClusterView(now, rows, leaderId, term, quorum, votersUp, voters, headline);
    }

    /**
     * The leader that most answering nodes name at the highest term they report, when the leader itself does not
     * answer the console (its HTTP side is slow or misconfigured while Raft still works); null when they disagree.
     */
    static String leaderNamedByMajority(List<NodeReport> reports) {
        List<NodeReport> answered = reports.stream().filter(NodeReport::answered).toList();
        long top = answered.stream().mapToLong(NodeReport::term).max().orElse(-1);
        Map<String, Long> votes = new LinkedHashMap<>();
        answered.stream().filter(r -> r.term() == top && r.leaderId() != null)
                .forEach(r -> votes.merge(r.leaderId(), 1L, Long::sum));
        return votes.entrySet().stream().filter(e -> e.getValue() * 2 > answered.size())
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    private static MemberRow markLeader(MemberRow r) {
        return new MemberRow(r.id(), r.url(), r.raftAddress(), r.role(), true, r.voter(), r.term(), r.live(), r.ready(),
                r.commitIndex(), r.applied(), r.lagEntries(), r.lagMillis(), r.lastContactMillis(), r.error(),
                r.matchIndex());
    }

    private static MemberRow row(String id, URI url, NodeReport r, NodeReport.MemberReport m, boolean voter,
                                 NodeReport leader, long leaderCommit, LagClock lag, Instant now) {
        String raftAddress = m == null ? null : m.address();
        if (r == null || !r.answered()) {
            // What the leader knows of it still tells how far behind it is; a match index of 0 is a leader that has
            // not heard from it yet (a new leader after the old one died), which knows nothing of its log.
            Long match = match(leader, m);
            Long behind = match == null || match == 0 ? null : Math.max(0, leaderCommit - match);
            String error = r == null ? "not configured for the console" : r.error();
            return new MemberRow(id, url == null ? null : url.toString(), raftAddress,
                    PeerClient.NO_ANSWER.equals(error) ? UNREACHABLE : DOWN, false, voter, null, false, false, null,
                    null, behind, null, contact(leader, id, m), error, match);
        }
        boolean isLeader = leader != null && leader.nodeId().equals(id);
        Long lagEntries = leader == null ? null : Math.max(0, leaderCommit - r.lastApplied());
        Long lagMillis = leader == null ? null : lag.millisBehind(r.lastApplied(), leaderCommit, now.toEpochMilli());
        return new MemberRow(id, url == null ? null : url.toString(), raftAddress, r.role(), isLeader, voter, r.term(),
                true, r.ready(), r.commitIndex(), r.lastApplied(), lagEntries, lagMillis,
                isLeader ? Long.valueOf(0) : contact(leader, id, m), null, match(leader, m));
    }

    private static Long match(NodeReport leader, NodeReport.MemberReport m) {
        return leader == null || m == null ? null : m.matchIndex();
    }

    private static Long contact(NodeReport leader, String id, NodeReport.MemberReport m) {
        return leader == null || m == null || leader.nodeId().equals(id) ? null : m.lastContactMillis();
    }

    /** The leader's view of the members when there is one (it alone knows match indexes), else any node's. */
    private static Map<String, NodeReport.MemberReport> membersAsSeenBy(NodeReport leader, List<NodeReport> reports) {
        Map<String, NodeReport.MemberReport> view = new LinkedHashMap<>();
        List<NodeReport> sources = new ArrayList<>();
        if (leader != null) {
            sources.add(leader);
        }
        reports.stream().filter(NodeReport::answered).forEach(sources::add);
        for (NodeReport source : sources) {
            source.members().forEach(m -> view.putIfAbsent(m.id(), m));
        }
        return view;
    }

    static String headline(String leaderId, long term, boolean quorum, int votersUp, int voters, List<MemberRow> rows) {
        int needed = voters / 2 + 1;
        if (!quorum) {
            return "No quorum: " + votersUp + " of " + voters + " voters answer and " + needed
                    + " are needed. No leader can be elected and writes are refused.";
        }
        if (leaderId == null) {
            return "No leader: an election is under way (term " + term + "). Writes wait until it ends.";
        }
        long ready = rows.stream().filter(MemberRow::ready).count();
        long silent = rows.stream().filter(r -> UNREACHABLE.equals(r.role())).count();
        long down = rows.stream().filter(r -> !r.live()).count() - silent;
        return leaderId + " leads term " + term + ". " + ready + " of " + rows.size() + " nodes ready"
                + (down > 0 ? ", " + down + " down" : "") + (silent > 0 ? ", " + silent + " not answering" : "") + ".";
    }
}
