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
import java.util.function.Function;

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
    private final Map<String, List<JsonObject>> lastAudits = new ConcurrentHashMap<>();

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
        return askAll(url -> client.history(url, limit), lastHistories, null);
    }

    /** Every configured node's reachability changes, by node id; as {@link #histories}. */
    public Map<String, List<JsonObject>> reachability(int limit) {
        return askAll(url -> client.reachability(url, limit), lastReachability, null);
    }

    /**
     * Every other node's audit list, read with the peer account (an admin route), by node id; as {@link #histories}.
     * Empty when the peer account's password is not configured.
     */
    public Map<String, List<JsonObject>> otherAudits(int limit) {
        if (!settings.canForward()) {
            return Map.of();
        }
        return askAll(url -> client.audit(url, limit, AdminSettings.PEER_USER, settings.peerPassword()), lastAudits,
                settings.nodeId());
    }

    /** Asks every node but {@code skip} (null: every node) in parallel; a silent node gives its last answer. */
    private Map<String, List<JsonObject>> askAll(Function<URI, CompletableFuture<Optional<List<JsonObject>>>> ask,
                                                 Map<String, List<JsonObject>> last, String skip) {
        Map<String, CompletableFuture<Optional<List<JsonObject>>>> calls = new LinkedHashMap<>();
        peers().forEach((id, url) -> {
            if (!id.equals(skip)) {
                calls.put(id, ask.apply(url));
            }
        });
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
