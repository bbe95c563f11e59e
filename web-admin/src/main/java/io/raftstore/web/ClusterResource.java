package io.raftstore.web;

import io.raftstore.core.NodeStatus;
import io.raftstore.core.Role;
import io.raftstore.ejb.RaftStoreLocal;
import io.raftstore.node.history.FailoverEvent;
import io.raftstore.web.console.actions.AuditLog;
import io.raftstore.web.console.cluster.ClusterAggregator;
import io.raftstore.web.security.AdminOnly;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** What this node knows of the cluster: status, members and the failover history it observed. */
@Path("cluster")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {

    @EJB
    RaftStoreLocal node;

    @Inject
    ClusterAggregator console;

    @Inject
    AuditLog audit;

    @GET
    @Path("status")
    public String status() {
        NodeStatus s = node.status();
        Set<String> reachable = node.reachablePeers();
        Map<String, NodeStatus.PeerStatus> peers = new HashMap<>();
        for (NodeStatus.PeerStatus p : s.followers()) {
            peers.put(p.id(), p);
        }
        JsonArrayBuilder members = Json.createArrayBuilder();
        node.memberAddresses().forEach((id, address) -> {
            boolean self = id.equals(s.nodeId());
            JsonObjectBuilder m = Json.createObjectBuilder().add("id", id).add("address", address)
                    .add("role", self ? role(s.role()) : id.equals(s.leaderId()) ? "LEADER"
                            : s.membership().isLearner(id) ? "LEARNER" : "FOLLOWER")
                    .add("voter", s.membership().isVoter(id))
                    .add("reachable", self || reachable.contains(id));
            NodeStatus.PeerStatus p = peers.get(id);
            if (self && s.role() == Role.LEADER) {
                m.add("matchIndex", s.lastIndex()).add("lag", 0);
            } else if (p != null) {
                m.add("matchIndex", p.matchIndex()).add("lag", Math.max(0, s.lastIndex() - p.matchIndex()))
                        .add("state", p.state())
                        .add("lastContactMillis", p.ticksSinceContact() * console.settings().tickMillis());
            } else {
                // Only the leader tracks its followers' logs.
                m.addNull("matchIndex").addNull("lag");
            }
            members.add(m);
        });
        JsonObjectBuilder o = Json.createObjectBuilder().add("nodeId", s.nodeId()).add("role", role(s.role()))
                .add("term", s.term());
        if (s.leaderId() == null) {
            o.addNull("leaderId");
        } else {
            o.add("leaderId", s.leaderId());
        }
        return o.add("commitIndex", s.commitIndex()).add("lastApplied", s.appliedIndex())
                .add("firstIndex", s.firstIndex()).add("lastIndex", s.lastIndex())
                .add("transferring", s.transferring()).add("ready", node.ready())
                .add("members", members).build().toString();
    }

    /** The contract's roles: a pre-candidate is shown as a candidate. */
    private static String role(Role role) {
        return role == Role.PRE_CANDIDATE ? "CANDIDATE" : role.name();
    }

    @GET
    @Path("history")
    public String history(@QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiException.badRequest("limit must be within 1..1000");
        }
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (FailoverEvent e : node.history(limit)) {
            JsonObjectBuilder o = Json.createObjectBuilder().add("time", e.time().toString()).add("term", e.term());
            nullable(o, "oldLeader", e.oldLeader());
            nullable(o, "newLeader", e.newLeader());
            list.add(o.add("cause", e.cause().name()).add("leaderlessMillis", e.leaderlessMillis()));
        }
        return list.build().toString();
    }

    /** Asks this node, if it leads, to hand leadership over (to {@code target}, or the best voter). */
    @POST
    @Path("transfer")
    @AdminOnly
    public String transfer(@QueryParam("target") String target, @Context SecurityContext caller) {
        String before = node.status().leaderId();
        String leader = node.transferLeadership(target);
        console.invalidate();
        audit.record(caller.getUserPrincipal().getName(), "REST transfer leadership to "
                + (target == null ? "the best voter" : target) + " on " + node.status().nodeId(),
                leader != null && !leader.equals(before), "leader " + before + " -> " + leader);
        JsonObjectBuilder o = Json.createObjectBuilder();
        nullable(o, "leaderId", leader);
        return o.build().toString();
    }

    private static void nullable(JsonObjectBuilder o, String name, String value) {
        if (value == null) {
            o.addNull(name);
        } else {
            o.add(name, value);
        }
    }
}
