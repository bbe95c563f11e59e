package io.raftstore.ejb.resp;

import io.raftstore.core.NodeStatus;
import io.raftstore.core.Role;
import io.raftstore.node.MemberAddress;
import io.raftstore.node.RunningNode;
import io.raftstore.resp.command.LeaderDirectory;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who leads, from the node's published status (memory only, never blocks). The leader's Redis endpoint is the
 * one {@code raftstore.resp.endpoints} names for it; a leader it does not name is reached at the host of its
 * HTTP URL (else of its Raft address) on this node's own Redis port, which is right wherever every node uses
 * the same port (one node per host or pod).
 */
final class NodeLeaderDirectory implements LeaderDirectory {

    private final Supplier<RunningNode> node;
    private final Map<String, String> endpoints;
    private final int ownPort;

    NodeLeaderDirectory(Supplier<RunningNode> node, Map<String, String> endpoints, int ownPort) {
        this.node = node;
        this.endpoints = Map.copyOf(endpoints);
        this.ownPort = ownPort;
    }

    private Optional<NodeStatus> status() {
        RunningNode n = node.get();
        return n == null ? Optional.empty() : Optional.of(n.status());
    }

    @Override
    public boolean localIsLeader() {
        return status().map(s -> s.role() == Role.LEADER).orElse(false);
    }

    @Override
    public Optional<String> leaderEndpoint() {
        Optional<String> leader = status().map(NodeStatus::leaderId);
        if (leader.isEmpty()) {
            return Optional.empty();
        }
        String configured = endpoints.get(leader.get());
        if (configured != null) {
            return Optional.of(configured);
        }
        RunningNode n = node.get();
        MemberAddress address = n == null ? null : n.members().get(leader.get());
        if (address == null) {
            return Optional.empty();
        }
        String host = address.http() != null && address.http().getHost() != null ? address.http().getHost()
                : address.raft().substring(0, address.raft().lastIndexOf(':'));
        return Optional.of(host + ":" + ownPort);
    }

    @Override
    public long term() {
        return status().map(NodeStatus::term).orElse(0L);
    }

    @Override
    public Map<String, String> replicationInfo() {
        Map<String, String> info = new LinkedHashMap<>();
        status().ifPresent(s -> {
            info.put("raftstore_node_id", s.nodeId());
            info.put("raftstore_role", s.role().name().toLowerCase(Locale.ROOT));
            info.put("raftstore_leader_id", s.leaderId() == null ? "" : s.leaderId());
            info.put("raftstore_term", Long.toString(s.term()));
            info.put("raftstore_commit_index", Long.toString(s.commitIndex()));
            info.put("raftstore_applied_index", Long.toString(s.appliedIndex()));
            // Redis's names for the same positions, for tools that read them.
            info.put("master_repl_offset", Long.toString(s.commitIndex()));
            info.put("slave_repl_offset", Long.toString(s.appliedIndex()));
        });
        return info;
    }
}
