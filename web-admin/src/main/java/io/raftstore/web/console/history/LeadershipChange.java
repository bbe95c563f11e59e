package io.raftstore.web.console.history;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * One entry of the cluster-wide failover timeline: one term, merged from what every node observed.
 *
 * @param time             when the first node learned of the new leader
 * @param newLeader        null when no leader was elected in this term (yet)
 * @param leaderlessMillis the longest time any observer was without a leader before this one
 * @param observers        the nodes whose histories contain this term
 */
public record LeadershipChange(Instant time, long term, String oldLeader, String newLeader, String cause,
                               long leaderlessMillis, List<String> observers) {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    public LeadershipChange {
        observers = List.copyOf(observers);
    }

    public Instant getTime() { return time; }
    public String getWhen() { return WHEN.format(time); }
    public String getCauseClass() { return HistoryChart.css(cause); }
    public long getTerm() { return term; }
    public String getOldLeader() { return oldLeader; }
    public String getNewLeader() { return newLeader; }
    public String getCause() { return cause; }
    public long getLeaderlessMillis() { return leaderlessMillis; }
    public String getObservers() { return String.join(", ", observers); }

    /**
     * A node's start-up election, not a failover: the cluster had no leader yet because it was starting, so its
     * leaderless time is start-up time, kept apart from the failovers' (issue 19).
     */
    public boolean isStartup() {
        return "STARTUP".equals(cause);
    }

    /** The cause in words, for people who do not read Raft papers. */
    public String getCauseText() {
        return switch (cause) {
            case "ELECTION_TIMEOUT" -> "election timeout (leader stopped answering)";
            case "TRANSFER" -> "leadership transfer";
            case "LOST_QUORUM" -> "leader lost its quorum";
            case "HIGHER_TERM" -> "higher term seen";
            case "REMOVED" -> "leader removed";
            case "STARTUP" -> "node start-up";
            default -> cause;
        };
    }
}
