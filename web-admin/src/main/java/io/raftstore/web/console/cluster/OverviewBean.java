package io.raftstore.web.console.cluster;

import io.raftstore.web.service.cluster.ClusterAggregator;
import io.raftstore.web.service.cluster.ClusterView;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Backs the overview page: one consistent view per request, however often the page reads it. */
@Named("overview")
@RequestScoped
public class OverviewBean {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    @Inject
    ClusterAggregator aggregator;

    private ClusterView view;

    public ClusterView getView() {
        if (view == null) {
            view = aggregator.current();
        }
        return view;
    }

    public String getUpdated() {
        return CLOCK.format(getView().at()) + " UTC";
    }

    public String getThisNode() {
        return aggregator.settings().nodeId();
    }
}
