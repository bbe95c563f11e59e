package io.raftstore.web.service;

import io.raftstore.ejb.view.NodeIdentity;
import org.eclipse.microprofile.config.Config;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the console needs to know beyond this node: where every node's HTTP API is
 * ({@value #PEERS}, e.g. {@code n1=http://127.0.0.1:9081,n2=...}), how long to wait for one, and the
 * password of the {@code raftstore-peer} account used to forward admin requests to the leader.
 *
 * @param peers           HTTP base URL of every node by id (only this node when not configured)
 * @param timeoutMillis   bound on each call to another node, so one dead node never stalls a page
 * @param peerPassword    null when forwarding is not configured
 * @param tickMillis      the node's tick, to turn the engine's tick counts into milliseconds
 * @param leaseReads      the node serves LEASE reads from its lease ({@code raftstore.lease.reads})
 */
public record AdminSettings(String nodeId, Map<String, URI> peers, int timeoutMillis, String peerPassword,
                              int tickMillis, boolean leaseReads) {

    public static final String PEERS = "raftstore.console.peers";
    public static final String TIMEOUT_MS = "raftstore.console.timeout.ms";
    public static final String PEER_PASSWORD = "raftstore.peer.password";
    public static final String HTTP_PORT = "raftstore.http.port";
    public static final String PEER_USER = "raftstore-peer";

    /** Reads the settings; the node's own keys are validated as the node does ({@link NodeIdentity}). */
    public static AdminSettings from(Config config) {
        NodeIdentity node = NodeIdentity.from(key -> config.getOptionalValue(key, String.class));
        Map<String, URI> peers = config.getOptionalValue(PEERS, String.class).map(String::trim)
                .filter(s -> !s.isEmpty()).map(AdminSettings::parsePeers)
                .orElseGet(() -> Map.of(node.nodeId(), URI.create("http://127.0.0.1:"
                        + config.getOptionalValue(HTTP_PORT, Integer.class).orElse(9081))));
        int timeout = config.getOptionalValue(TIMEOUT_MS, Integer.class).orElse(800);
        Optional<String> password = config.getOptionalValue(PEER_PASSWORD, String.class).map(String::trim)
                .filter(s -> !s.isEmpty());
        return new AdminSettings(node.nodeId(), peers, timeout, password.orElse(null), node.tickMillis(),
                node.leaseReads());
    }

    /** Parses {@code id=url,id=url}, keeping the order given. */
    static Map<String, URI> parsePeers(String spec) {
        Map<String, URI> peers = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String item = part.trim();
            int eq = item.indexOf('=');
            if (eq < 1 || eq == item.length() - 1) {
                throw new IllegalArgumentException(PEERS + ": expected id=http://host:port, got '" + item + "'");
            }
            String url = item.substring(eq + 1).trim();
            peers.put(item.substring(0, eq).trim(), URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url));
        }
        return peers;
    }

    public boolean canForward() {
        return peerPassword != null;
    }
}
