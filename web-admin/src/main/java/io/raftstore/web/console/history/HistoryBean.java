package io.raftstore.web.console.history;

import io.raftstore.web.service.cluster.ClusterAggregator;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Backs the failover history page: the merged timeline, its charts and the time filter. Request scoped: the
 * page's form posts the chosen range with every refresh, and each request fetches the histories once.
 */
@Named("history")
@RequestScoped
public class HistoryBean {

    /** Per node; the nodes keep 1,000 each. */
    private static final int FETCH_LIMIT = 1_000;

    @Inject
    ClusterAggregator aggregator;

    private TimeRange range = TimeRange.LAST_HOUR;
    private List<LeadershipChange> changes;
    private List<Outage> outages;
    private Instant now;

    public List<LeadershipChange> getChanges() {
        if (changes == null) {
            now = Instant.now();
            List<ObservedChange> observed = new ArrayList<>();
            aggregator.histories(FETCH_LIMIT).forEach((node, list) ->
                    list.forEach(o -> observed.add(ObservedChange.fromJson(node, o))));
            Instant since = range.since(now);
            changes = HistoryMerger.merge(observed).stream()
                    .filter(c -> since == null || !c.time().isBefore(since)).toList();
        }
        return changes;
    }

    /** The changes that were failovers: every change but the start-up elections. */
    public List<LeadershipChange> getFailovers() {
        return getChanges().stream().filter(c -> !c.isStartup()).toList();
    }

    public long getStartupCount() {
        return getChanges().stream().filter(LeadershipChange::isStartup).count();
    }

    /** When each node was unreachable, as the others saw it, newest first (within the chosen range). */
    public List<Outage> getOutages() {
        if (outages == null) {
            getChanges(); // fixes now
            Instant since = range.since(now);
            outages = OutageMerger.fromReports(aggregator.reachability(FETCH_LIMIT)).stream()
                    .filter(o -> since == null || o.until() == null || !o.until().isBefore(since)).toList();
        }
        return outages;
    }

    /** How long an outage lasted, or has lasted so far. */
    public String duration(Outage o) {
        getChanges();
        return o.duration(now);
    }

    /** Failovers only: a cluster starting has no leader yet, which is not time lost to a failure. */
    public String getLeaderlessChart() {
        return HistoryChart.leaderlessBars(getFailovers());
    }

    public String getTimelineChart() {
        return HistoryChart.timeline(getChanges(), now);
    }

    /** Time without a leader in failovers; start-up elections are not counted (see {@link #getFailovers}). */
    public long getTotalLeaderlessMillis() {
        return getFailovers().stream().mapToLong(LeadershipChange::leaderlessMillis).sum();
    }

    public TimeRange[] getRanges() {
        return TimeRange.values();
    }

    public TimeRange getRange() {
        return range;
    }

    public void setRange(TimeRange range) {
        this.range = range == null ? TimeRange.LAST_HOUR : range;
        changes = null;
        outages = null;
    }
}
