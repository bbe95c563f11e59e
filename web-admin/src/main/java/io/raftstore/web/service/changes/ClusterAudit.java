package io.raftstore.web.service.changes;

import io.raftstore.web.service.AdminSettings;
import io.raftstore.web.service.cluster.ClusterAggregator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;

import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every node's audit list merged, newest first, each entry with the node it was made through: a change made
 * through one node's console or REST shows on every console (issue 19). Each node keeps its own list (and its
 * file); the others are asked through {@link ClusterAggregator#otherAudits}, which gives a node that does not
 * answer with what it said last, as for the failover history.
 */
@ApplicationScoped
public class ClusterAudit {

    @Inject
    AuditLog audit;

    @Inject
    ClusterAggregator aggregator;

    /** Pages refresh every two seconds; other nodes' lists younger than this are shared. */
    private static final long ASK_EVERY_MILLIS = 700;

    /** What each other node last answered. */
    private final Map<String, List<AuditEntry>> lastAnswers = new ConcurrentHashMap<>();
    /** When the others were last asked ({@link System#nanoTime()}); guarded by this. */
    private long askedAt = System.nanoTime() - TimeUnit.SECONDS.toNanos(10);

    /** One entry and the node whose console or REST API it went through. */
    public record Through(String node, AuditEntry entry) {
        public String getNode() {
            return node;
        }

        public AuditEntry getEntry() {
            return entry;
        }
    }

    /**
     * The latest {@code limit} entries of all nodes (only this node's when no peer password is configured). This
     * node's own are read as they are now, so an action just taken shows in the same answer; the others' are asked
     * at most every {@value #ASK_EVERY_MILLIS} ms, which many open pages and one page's several reads share.
     */
    public List<Through> merged(int limit) {
        AdminSettings settings = aggregator.settings();
        askPeers(settings);
        Map<String, List<AuditEntry>> lists = new LinkedHashMap<>();
        lists.put(settings.nodeId(), audit.recent());
        aggregator.peers().keySet().stream().filter(id -> !id.equals(settings.nodeId()))
                .forEach(id -> lists.put(id, lastAnswers.getOrDefault(id, List.of())));
        return merge(lists, limit);
    }

    private synchronized void askPeers(AdminSettings settings) {
        long now = System.nanoTime();
        if (!settings.canForward() || now - askedAt < TimeUnit.MILLISECONDS.toNanos(ASK_EVERY_MILLIS)) {
            return;
        }
        aggregator.otherAudits(AuditLog.KEEP).forEach((id, answer) -> {
            List<AuditEntry> parsed = entries(answer);
            if (parsed != null) {
                lastAnswers.put(id, parsed);
            }
        });
        askedAt = System.nanoTime();
    }

    /** Newest first, ties by node id: the same lists always give the same page. */
    static List<Through> merge(Map<String, List<AuditEntry>> byNode, int limit) {
        List<Through> all = new ArrayList<>();
        byNode.forEach((node, entries) -> entries.forEach(e -> all.add(new Through(node, e))));
        all.sort(Comparator.comparing((Through t) -> t.entry().when()).reversed().thenComparing(Through::node));
        return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
    }

    /** Whether other nodes' entries can be asked for (the peer account's password is configured). */
    public boolean acrossTheCluster() {
        return aggregator.settings().canForward();
    }

    /** The entries of one answer, or null when it is not a list of entries (the last good one is kept then). */
    private static List<AuditEntry> entries(List<JsonObject> answer) {
        try {
            return answer.stream().map(AuditEntry::fromJson).toList();
        } catch (JsonException | ClassCastException | DateTimeParseException e) {
            return null;
        }
    }
}
