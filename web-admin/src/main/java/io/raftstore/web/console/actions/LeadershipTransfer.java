package io.raftstore.web.console.actions;

import io.raftstore.ejb.RaftStoreLocal;
import io.raftstore.web.service.AdminSettings;
import io.raftstore.web.service.cluster.ClusterAggregator;
import io.raftstore.web.service.cluster.ClusterView;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Moves leadership from whoever leads now. Only the leader can hand over, so when this node follows, the
 * request goes to the leader's {@code POST /api/cluster/transfer} under the {@code raftstore-peer} account;
 * without that account's password configured the console says where to go instead.
 */
@ApplicationScoped
public class LeadershipTransfer {

    @EJB
    RaftStoreLocal node;

    @Inject
    ClusterAggregator aggregator;

    /** @param target the node to lead next, or null for the best voter (most caught up) */
    public Outcome transfer(String target) {
        aggregator.invalidate();
        ClusterView view = aggregator.current();
        String leader = view.leaderId();
        if (leader == null) {
            return Outcome.failed("no leader right now, so there is nothing to transfer");
        }
        if (leader.equals(target)) {
            return Outcome.failed(target + " already leads");
        }
        AdminSettings settings = aggregator.settings();
        String after;
        if (leader.equals(settings.nodeId())) {
            after = node.transferLeadership(target);
        } else if (settings.canForward()) {
            try {
                after = forward(aggregator.urlOf(leader), target, settings.peerPassword());
            } catch (Exception e) {
                return Outcome.failed("could not reach the leader " + leader + ": " + e.getMessage());
            }
        } else {
            return Outcome.failed(leader + " leads, not this node, and forwarding is not configured ("
                    + AdminSettings.PEER_PASSWORD + "): use the console of " + leader
                    + (aggregator.urlOf(leader) != null ? " at " + aggregator.urlOf(leader) + "/console/" : ""));
        }
        aggregator.invalidate();
        if (after == null || after.equals(leader)) {
            return Outcome.failed(leader + " still leads: the transfer did not complete in time"
                    + (target != null ? " (is " + target + " up and caught up?)" : ""));
        }
        if (target != null && !target.equals(after)) {
            return Outcome.failed("leadership moved from " + leader + " to " + after + ", not to " + target);
        }
        return Outcome.ok("leadership moved from " + leader + " to " + after);
    }

    private String forward(URI leaderUrl, String target, String password) throws Exception {
        String query = target == null ? "" : "?target=" + URLEncoder.encode(target, StandardCharsets.UTF_8);
        HttpResponse<String> r = aggregator.client().postAs(leaderUrl.resolve("/api/cluster/transfer" + query),
                AdminSettings.PEER_USER, password);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + " " + r.body());
        }
        JsonObject o = Json.createReader(new StringReader(r.body())).readObject();
        return o.isNull("leaderId") ? null : o.getString("leaderId");
    }
}
