package io.raftstore.it;

import io.raftstore.harness.LocalCluster;
import io.raftstore.harness.PrometheusText;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each node's {@code /metrics} on a real three-node cluster (issue 16, part 2; {@link SharedCluster}): scraped
 * without a login, parsed as Prometheus text, the counters move with traffic (proposals on the leader, forwarded
 * writes on the follower that took them, applied entries and syncs everywhere, read rounds, request latency by
 * operation and outcome) and with a failover (the new leader's term, role and leader changes; the killed node
 * leaves the JGroups view).
 */
class MetricsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final int WRITES = 20;
    private static LocalCluster cluster;

    @BeforeAll
    static void start() {
        cluster = SharedCluster.threeNodes();
    }

    @AfterAll
    static void keepLogs() {
        if (cluster != null) {
            cluster.keepLogs("metrics");
        }
    }

    @Test
    void countersMoveWithTrafficAndFailover() throws Exception {
        int leader = cluster.awaitLeader(Duration.ofSeconds(60));
        int follower = leader % 3 + 1;
        // The cluster is shared: a node its last user paused or restarted may still be joining the leader's
        // JGroups view (ready answers before that). What follows starts from a leader connected to both peers.
        awaitScrape(leader, t -> IntStream.rangeClosed(1, 3).filter(o -> o != leader)
                .allMatch(o -> t.sum("raftstore_peer_connected", Map.of("member", "n" + o)) == 1.0),
                "both peers connected", Duration.ofSeconds(30));
        PrometheusText leaderBefore = scrape(leader);
        PrometheusText followerBefore = scrape(follower);

        // The families an operator's dashboard and alerts rely on, with the types Prometheus needs.
        assertEquals("counter", leaderBefore.type("raftstore_proposals_total"));
        assertEquals("histogram", leaderBefore.type("raftstore_fsync_seconds"));
        assertEquals(1.0, leaderBefore.sum("raftstore_role", Map.of("role", "leader")));
        assertEquals(1.0, followerBefore.sum("raftstore_role", Map.of("role", "follower")));
        assertEquals(1.0, followerBefore.sum("raftstore_leader", Map.of("member", "n" + leader)));

        for (int i = 0; i < WRITES; i++) {
            assertEquals(201, put(follower, "metrics-" + i, "v" + i), "write " + i + " through n" + follower);
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(200, get(follower, "metrics-" + i), "linearizable read " + i + " on n" + follower);
        }
        PrometheusText leaderAfter = scrape(leader);
        PrometheusText followerAfter = scrape(follower);

        assertTrue(grew(leaderBefore, leaderAfter, "raftstore_proposals_total", Map.of()) >= WRITES);
        assertTrue(grew(followerBefore, followerAfter, "raftstore_forwarded_requests_total", Map.of()) >= WRITES);
        assertTrue(grew(leaderBefore, leaderAfter, "raftstore_applied_entries_total", Map.of()) >= WRITES);
        assertTrue(grew(followerBefore, followerAfter, "raftstore_fsync_seconds_count", Map.of()) > 0);
        assertTrue(grew(leaderBefore, leaderAfter, "raftstore_fsync_batch_entries_sum", Map.of()) >= WRITES);
        // A follower's linearizable reads get their read index from the leader; the follower counts what it released.
        assertTrue(grew(followerBefore, followerAfter, "raftstore_read_rounds_total", Map.of()) >= 1);
        assertTrue(grew(followerBefore, followerAfter, "raftstore_read_index_reads_total", Map.of()) >= 5);
        assertTrue(grew(followerBefore, followerAfter, "raftstore_request_seconds_count",
                Map.of("operation", "write", "outcome", "ok")) >= WRITES);
        assertTrue(grew(followerBefore, followerAfter, "raftstore_request_seconds_count",
                Map.of("operation", "read_linearizable", "outcome", "ok")) >= 5);
        assertTrue(followerAfter.sum("raftstore_commit_index") >= followerBefore.sum("raftstore_commit_index") + WRITES);
        for (int other = 1; other <= 3; other++) {
            if (other != leader) {
                double lag = leaderAfter.sum("raftstore_follower_lag", Map.of("member", "n" + other));
                assertTrue(lag >= 0 && lag < WRITES, "n" + other + " lag " + lag);
                assertEquals(1.0, leaderAfter.sum("raftstore_peer_connected", Map.of("member", "n" + other)));
            }
        }
        assertTrue(leaderAfter.sum("raftstore_data_size_bytes", Map.of("part", "wal")) > 0);
        assertTrue(leaderAfter.sum("raftstore_disk_free_bytes") > 0);

        // Failover: kill -9 the leader; the survivor that follows it sees a new leader in a higher term.
        double termBefore = followerAfter.sum("raftstore_term");
        double changesBefore = followerAfter.sum("raftstore_leader_changes_total");
        cluster.kill(leader);
        int next = cluster.awaitLeader(Duration.ofSeconds(60));
        PrometheusText failedOver = awaitScrape(follower, t -> t.sum("raftstore_leader_changes_total") > changesBefore
                && t.sum("raftstore_peer_connected", Map.of("member", "n" + leader)) == 0.0, "the failover",
                Duration.ofSeconds(30));
        assertTrue(failedOver.sum("raftstore_term") > termBefore);
        assertEquals(1.0, failedOver.sum("raftstore_leader", Map.of("member", "n" + next)));
        assertEquals(1.0, scrape(next).sum("raftstore_role", Map.of("role", "leader")));
    }

    /** How much a counter grew between two scrapes. */
    private static double grew(PrometheusText before, PrometheusText after, String name, Map<String, String> labels) {
        double was = before.find(name, labels).isEmpty() ? 0 : before.sum(name, labels);
        return after.sum(name, labels) - was;
    }

    private static PrometheusText scrape(int node) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(cluster.url(node).resolve("/metrics"))
                .header("Accept", "text/plain").timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), "/metrics of n" + node + " without a login: " + r.body());
        return PrometheusText.parse(r.body());
    }

    /** Scrapes until {@code done} holds; bounded, failing with the last scrape's raftstore samples. */
    private static PrometheusText awaitScrape(int node, Predicate<PrometheusText> done, String what, Duration within)
            throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        PrometheusText last;
        do {
            last = scrape(node);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200); // polling interval of a bounded wait, not a fix for a race
        } while (System.nanoTime() < deadline);
        throw new AssertionError("n" + node + "'s metrics did not show " + what + " within " + within + ": "
                + last.samples().stream().filter(s -> s.name().startsWith("raftstore_leader")
                || s.name().startsWith("raftstore_peer") || s.name().equals("raftstore_term")).toList());
    }

    private static int put(int node, String key, String value) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(cluster.url(node).resolve("/api/kv/" + key))
                .header("Authorization", cluster.appAuthorization()).timeout(Duration.ofSeconds(15))
                .PUT(HttpRequest.BodyPublishers.ofString(value)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int get(int node, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(cluster.url(node).resolve("/api/kv/" + key))
                .header("Authorization", cluster.appAuthorization()).timeout(Duration.ofSeconds(15)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
