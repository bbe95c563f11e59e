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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

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
    /** What each node last answered for its history and its reachability; see {@link #histories}. */
    private final Map<String, List<JsonObject>> lastHistories = new ConcurrentHashMap<>();
    private final Map<String, List<JsonObject>> lastReachability = new ConcurrentHashMap<>();

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

    /**
     * Every configured node's history, by node id. A node that does not answer now is given with what it said
     * last time it did (empty if never): a node going down must not erase, and so rewrite, what it observed
     * (issue 19: merged entries changed their figures and observers while a node was down).
     */
    public Map<String, List<JsonObject>> histories(int limit) {
        return askAll((id, url) -> client.history(url, limit), lastHistories);
    }

    /** Every configured node's reachability changes, by node id; as {@link #histories}. */
    public Map<String, List<JsonObject>> reachability(int limit) {
        return askAll((id, url) -> client.reachability(url, limit), lastReachability);
    }

    private Map<String, List<JsonObject>> askAll(
            BiFunction<String, URI, CompletableFuture<Optional<List<JsonObject>>>> ask, Map<String, List<JsonObject>> last) {
        Map<String, CompletableFuture<Optional<List<JsonObject>>>> calls = new LinkedHashMap<>();
        peers().forEach((id, url) -> calls.put(id, ask.apply(id, url)));
        Map<String, List<JsonObject>> out = new LinkedHashMap<>();
        calls.forEach((id, call) -> {
            Optional<List<JsonObject>> answer = call.join();
            answer.ifPresent(list -> last.put(id, list));
            out.put(id, answer.orElseGet(() -> last.getOrDefault(id, List.of())));
        });
        return out;
    }

    /** The HTTP base URL of a node, or null when the console does not know it. */
    public URI urlOf(String nodeId) {
        return peers().get(nodeId);
    }
}
