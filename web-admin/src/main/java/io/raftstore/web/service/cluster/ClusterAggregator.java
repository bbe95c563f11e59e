package io.raftstore.web.service.cluster;

import io.raftstore.ejb.RaftStoreLocal;
import io.raftstore.web.service.AdminSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import org.eclipse.microprofile.config.ConfigProvider;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Asks every configured node for its status (and on demand its history) in parallel, with short timeouts,
 * and keeps the result for a moment so that many open consoles cost the nodes one round of calls.
 */
@ApplicationScoped
public class ClusterAggregator {

    /** Pages poll every two seconds; answers younger than this are shared between them. */
    private static final long CACHE_MILLIS = 700;

    @Resource
    ManagedExecutorService executor;

    @EJB
    RaftStoreLocal node;

    private AdminSettings settings;
    private PeerClient client;
    private final LagClock lag = new LagClock();
    private ClusterView cached;

    @PostConstruct
    void init() {
        settings = AdminSettings.from(ConfigProvider.getConfig());
        client = new PeerClient(executor, settings.timeoutMillis());
    }

    public AdminSettings settings() {
        return settings;
    }

    public PeerClient client() {
        return client;
    }

    /** The cluster now, at most {@value #CACHE_MILLIS} ms old. */
    public synchronized ClusterView current() {
        if (cached == null || Instant.now().toEpochMilli() - cached.at().toEpochMilli() > CACHE_MILLIS) {
            cached = refresh();
        }
        return cached;
    }

    /** Forgets the cached view, after an action that changed the cluster. */
    public synchronized void invalidate() {
        cached = null;
    }

    private ClusterView refresh() {
        Map<String, URI> peers = peers();
        List<CompletableFuture<NodeReport>> calls = new ArrayList<>();
        peers.forEach((id, url) -> calls.add(client.status(id, url)));
        List<NodeReport> reports = calls.stream().map(CompletableFuture::join).toList();
        return ClusterViewBuilder.build(peers, reports, lag, Instant.now());
    }

    /**
     * Every node to ask: the configured peers, then the members added while the cluster ran, whose HTTP
     * URLs are replicated with the membership (so every node's console finds them, also after a restart).
     */
    public Map<String, URI> peers() {
        Map<String, URI> peers = new LinkedHashMap<>(settings.peers());
        try {
            node.members().forEach((id, address) -> {
                if (address.httpUrl() != null) {
                    peers.putIfAbsent(id, address.httpUrl());
                }
            });
        } catch (RuntimeException e) {
            // This node is not running: the configured peers are all the console can ask.
        }
        return peers;
    }

    /** Every configured node's history, by node id (empty for a node that did not answer). */
    public Map<String, List<JsonObject>> histories(int limit) {
        Map<String, CompletableFuture<List<JsonObject>>> calls = new LinkedHashMap<>();
        peers().forEach((id, url) -> calls.put(id, client.history(url, limit)));
        Map<String, List<JsonObject>> out = new LinkedHashMap<>();
        calls.forEach((id, call) -> out.put(id, call.join()));
        return out;
    }

    /** The HTTP base URL of a node, or null when the console does not know it. */
    public URI urlOf(String nodeId) {
        return peers().get(nodeId);
    }
}
