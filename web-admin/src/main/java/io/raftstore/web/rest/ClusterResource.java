package io.raftstore.web.rest;

import io.raftstore.ejb.RaftStoreLocal;
import io.raftstore.ejb.view.MembershipView;
import io.raftstore.ejb.view.NodeView;
import io.raftstore.ejb.view.NodeView.Role;
import io.raftstore.ejb.view.SnapshotOutcome;
import io.raftstore.web.security.Access;
import io.raftstore.web.security.ApiRole;
import io.raftstore.web.service.changes.AuditEntry;
import io.raftstore.web.service.changes.AuditLog;
import io.raftstore.web.service.changes.ClusterChanges;
import io.raftstore.web.service.cluster.ClusterAggregator;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;

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

    @Inject
    ClusterChanges changes;

    private static final String REST = "REST ";

    @GET
    @Path("status")
    @Access(ApiRole.ANYONE)
    public String status() {
        NodeView s = node.status();
        Set<String> reachable = node.reachablePeers();
        Map<String, NodeView.FollowerView> peers = new HashMap<>();
        for (NodeView.FollowerView p : s.followers()) {
            peers.put(p.id(), p);
        }
        JsonArrayBuilder members = Json.createArrayBuilder();
        node.members().forEach((id, address) -> {
            boolean self = id.equals(s.nodeId());
            JsonObjectBuilder m = Json.createObjectBuilder().add("id", id)
                    .add("address", address.raftAddress());
            if (address.httpUrl() != null) {
                m.add("httpUrl", address.httpUrl().toString());
            }
            m.add("role", self ? role(s.role()) : id.equals(s.leaderId()) ? "LEADER"
                            : s.membership().isLearner(id) ? "LEARNER" : "FOLLOWER")
                    .add("voter", s.membership().isVoter(id))
                    .add("reachable", self || reachable.contains(id));
            NodeView.FollowerView p = peers.get(id);
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
                .add("leaseReads", console.settings().leaseReads())
                .add("members", members).build().toString();
    }

    /** A list route's answer (history, reachability, audit): at most {@code limit} entries, 1..1000. */
    private static String jsonList(int limit, IntFunction<Stream<JsonObject>> entries) {
        if (limit < 1 || limit > 1000) {
            throw ApiException.badRequest("limit must be within 1..1000, was " + limit);
        }
        JsonArrayBuilder list = Json.createArrayBuilder();
        entries.apply(limit).forEach(list::add);
        return list.build().toString();
    }

    /** The contract's roles: a pre-candidate is shown as a candidate. */
    private static String role(Role role) {
        return role == Role.PRE_CANDIDATE ? "CANDIDATE" : role.name();
    }

    @GET
    @Path("history")
    @Access(ApiRole.ANYONE)
    public String history(@QueryParam("limit") @DefaultValue("100") int limit) {
        return jsonList(limit, n -> node.history(n).stream().map(e -> {
            JsonObjectBuilder o = Json.createObjectBuilder().add("time", e.time().toString()).add("term", e.term());
            nullable(o, "oldLeader", e.oldLeader());
            nullable(o, "newLeader", e.newLeader());
            return o.add("cause", e.cause()).add("leaderlessMillis", e.leaderlessMillis()).build();
        }));
    }

    /**
     * When this node lost sight of each peer and saw it again, oldest first: its JGroups view's changes. Open like
     * the history: every console merges all nodes' into the outages on the history page.
     */
    @GET
    @Path("reachability")
    @Access(ApiRole.ANYONE)
    public String reachability(@QueryParam("limit") @DefaultValue("100") int limit) {
        return jsonList(limit, n -> node.reachability(n).stream().map(e -> Json.createObjectBuilder()
                .add("time", e.time().toString()).add("peer", e.peer()).add("reachable", e.reachable()).build()));
    }

    /**
     * This node's audit list, newest first: the actions taken through its console and admin REST. Admins only (it
     * names users and their addresses); every console merges all nodes' lists through it.
     */
    @GET
    @Path("audit")
    @Access(ApiRole.ADMIN)
    public String audit(@QueryParam("limit") @DefaultValue("100") int limit) {
        return jsonList(limit, n -> audit.recent().stream().limit(n).map(AuditEntry::toJson));
    }

    /** Asks this node, if it leads, to hand leadership over (to {@code target}, or the best voter). */
    @POST
    @Path("transfer")
    @Access(ApiRole.ADMIN)
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

    /** Snapshots THIS node's state machine and compacts its log now. */
    @POST
    @Path("snapshot")
    @Access(ApiRole.ADMIN)
    public String snapshot(@Context SecurityContext caller) {
        SnapshotOutcome r = changes.snapshot(who(caller), REST);
        return Json.createObjectBuilder().add("nodeId", node.status().nodeId()).add("taken", r.taken())
                .add("index", r.index()).add("term", r.term()).add("firstIndex", r.firstIndex())
                .add("millis", r.millis()).build().toString();
    }

    /**
     * Adds a node started in join mode as a learner: body {@code {"id": "n4", "address": "host:port",
     * "httpUrl": "http://host:port"}} ({@code httpUrl} optional). Any node takes it; it answers once the
     * change is committed, with the membership after it.
     */
    @POST
    @Path("members")
    @Access(ApiRole.ADMIN)
    public String addMember(String body, @Context SecurityContext caller) {
        JsonObject o;
        try (JsonReader r = Json.createReader(new StringReader(body == null ? "" : body))) {
            o = r.readObject();
        } catch (JsonException | ClassCastException e) {
            throw ApiException.badRequest("expected a JSON object {\"id\": ..., \"address\": \"host:port\"}");
        }
        String id = text(o, "id");
        String address = text(o, "address");
        if (id == null || address == null) {
            throw ApiException.badRequest("both \"id\" and \"address\" (host:port of its Raft channel) are required");
        }
        String http = text(o, "httpUrl");
        return membership(badRequestOn(() -> changes.addLearner(who(caller), REST, id, address, http)));
    }

    /** Makes a learner that has caught up a voter. */
    @POST
    @Path("members/{id}/promote")
    @Access(ApiRole.ADMIN)
    public String promote(@PathParam("id") String id, @Context SecurityContext caller) {
        return membership(badRequestOn(() -> changes.promote(who(caller), REST, id)));
    }

    /** Removes a voter or learner; removing the leader makes it step down once the change commits. */
    @DELETE
    @Path("members/{id}")
    @Access(ApiRole.ADMIN)
    public String removeMember(@PathParam("id") String id, @Context SecurityContext caller) {
        return membership(badRequestOn(() -> changes.remove(who(caller), REST, id)));
    }

    private static String text(JsonObject o, String name) {
        JsonValue v = o.get(name);
        return v instanceof JsonString s && !s.getString().isBlank() ? s.getString().trim() : null;
    }

    /** A malformed id or address is the caller's mistake: 400 (the node's refusals map to 400 REJECTED). */
    private static MembershipView badRequestOn(Supplier<MembershipView> change) {
        try {
            return change.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static String membership(MembershipView m) {
        JsonArrayBuilder voters = Json.createArrayBuilder();
        m.voters().forEach(voters::add);
        JsonArrayBuilder learners = Json.createArrayBuilder();
        m.learners().forEach(learners::add);
        return Json.createObjectBuilder().add("voters", voters).add("learners", learners).build().toString();
    }

    private static String who(SecurityContext caller) {
        return caller.getUserPrincipal().getName();
    }

    private static void nullable(JsonObjectBuilder o, String name, String value) {
        if (value == null) {
            o.addNull(name);
        } else {
            o.add(name, value);
        }
    }
}
