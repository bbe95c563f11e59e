package io.raftstore.web.console.cluster;

import io.raftstore.web.service.cluster.ClusterAggregator;
import io.raftstore.web.service.cluster.ClusterView;
import io.raftstore.web.service.cluster.MemberRow;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

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

    /** The other nodes' consoles, for when this one stops answering (console.js offers them then). */
    public List<OtherConsole> getOtherConsoles() {
        String self = getThisNode();
        return aggregator.peers().entrySet().stream().filter(e -> !e.getKey().equals(self))
                .map(e -> new OtherConsole(e.getKey(), e.getValue() + "/console/")).toList();
    }

    /** Another node's console; getters because Faces EL reads bean properties, not record accessors. */
    public record OtherConsole(String id, String url) {
        public String getId() {
            return id;
        }

        public String getUrl() {
            return url;
        }
    }

    /** The leader's last contact with {@code m}, as of this view (see {@link MemberText#contact}). */
    public String contact(MemberRow m) {
        return MemberText.contact(m, getView().at());
    }

    public String lag(MemberRow m) {
        return MemberText.lag(m);
    }

    public String silence(MemberRow m) {
        return MemberText.silence(m);
    }
}
