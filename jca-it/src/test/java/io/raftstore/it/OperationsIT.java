package io.raftstore.it;

import io.raftstore.harness.LocalCluster;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operating a real three-node cluster (issue 16) behind HAProxy ({@code ./cluster lb start haproxy}, the shipped
 * liberty-config/src/main/lb/haproxy.cfg), with a session writer, a plain writer and a reader going through it
 * ({@link LoadClients}): while the leader is killed, a follower is paused and resumed and the killed node is
 * restarted, and during {@code ./cluster rolling-restart}. Each test leaves every node up and ready. The tests
 * print every client's figures (errors, longest time without an answer) for docs/operations.md. One cluster
 * serves them all: starting one costs about a minute on the shared machine.
 */
class OperationsIT {

    /** HAProxy's checks: every {@code inter} (1 s), {@code fall} 2 failures of at most {@code timeout check} (1 s). */
    private static final Duration PROBE_BOUND = Duration.ofSeconds(2 * (1 + 1) + 1);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static LocalCluster cluster;
    private static URI balancer;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.builder("lb-cluster", 9640, 19640).withoutSamples().build();
        cluster.start(3);
        balancer = cluster.startBalancer("haproxy");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * A paused node leaves HAProxy's rotation within the probe bound and comes back once ready; reads and session
     * writes see no error through kill, pause and restart (the balancer retries them on another node).
     */
    @Test
    void clientsGoOnThroughKillPauseAndRestart() throws Exception {
        LoadClients load = new LoadClients(List.of(balancer), cluster.appAuthorization(), "lb/");
        load.start();
        long started = System.nanoTime();
        try {
            assertTrue(load.awaitSuccesses(20, Duration.ofSeconds(60)), "clients got going through the balancer");
            int leader = cluster.awaitLeader(Duration.ofSeconds(10));
            cluster.kill(leader);
            System.out.println("LB: killed leader n" + leader + " out of the rotation after "
                    + awaitState(leader, "DOWN", Duration.ofSeconds(30)).toMillis() + " ms");
            cluster.awaitLeader(Duration.ofSeconds(30));

            int follower = leader % 3 + 1;
            cluster.pause(follower);
            Duration out = awaitState(follower, "DOWN", Duration.ofSeconds(30));
            System.out.println("LB: paused follower n" + follower + " out of the rotation after " + out.toMillis() + " ms");
            assertTrue(out.compareTo(PROBE_BOUND) <= 0, "a paused node leaves within " + PROBE_BOUND + ", took " + out);
            long okBefore = load.figures("reader").ok();
            assertTrue(load.awaitSuccesses(okBefore + 20, Duration.ofSeconds(30)), "clients go on without n" + follower);
            cluster.resume(follower);
            Duration back = awaitState(follower, "UP", Duration.ofSeconds(60));
            System.out.println("LB: resumed n" + follower + " back in the rotation after " + back.toMillis() + " ms");

            cluster.restart(leader);
            Duration returned = awaitState(leader, "UP", Duration.ofSeconds(180));
            assertEquals(200, get(cluster.url(leader).resolve("/health/ready")).statusCode(),
                    "n" + leader + " is back in the rotation only once ready");
            System.out.println("LB: restarted n" + leader + " back in the rotation " + returned.toMillis()
                    + " ms after its start returned");
            long served = load.figures("reader").answeredBy().getOrDefault("n" + leader, 0L);
            assertTrue(load.awaitSuccesses(load.figures("reader").ok() + 30, Duration.ofSeconds(30)));
            assertTrue(load.figures("reader").answeredBy().getOrDefault("n" + leader, 0L) > served,
                    "the restarted node serves clients again: " + load.figures("reader"));
        } finally {
            List<LoadClients.Figures> figures = load.stop();
            System.out.printf("LB figures (haproxy, %d s, load average %s): %s%n", (System.nanoTime() - started) / 1_000_000_000L,
                    LoadClients.loadAverage(), figures);
        }
        assertEquals(0, load.figures("session writer").errors(), load.figures("session writer").toString());
        assertEquals(0, load.figures("reader").errors(), load.figures("reader").toString());
        assertEquals(load.acknowledgedWrites(), sessionKeysPresent(load), "every acknowledged session write is there");
    }

    /**
     * {@code ./cluster rolling-restart} under load: every node gets a new process, the session writer and the
     * reader see no error, and every acknowledged write is there afterwards.
     */
    @Test
    void aRollingRestartUnderLoadFailsNoSessionWrite() throws Exception {
        cluster.awaitLeader(Duration.ofSeconds(30));
        Map<Integer, Long> before = pids();
        LoadClients load = new LoadClients(List.of(balancer), cluster.appAuthorization(), "roll/");
        load.start();
        long started = System.nanoTime();
        try {
            assertTrue(load.awaitSuccesses(20, Duration.ofSeconds(60)), "clients got going through the balancer");
            cluster.rollingRestart();
            assertTrue(load.awaitSuccesses(load.figures("reader").ok() + 10, Duration.ofSeconds(30)));
        } finally {
            List<LoadClients.Figures> figures = load.stop();
            System.out.printf("ROLL figures (rolling restart of 3 nodes behind haproxy, %d s, load average %s): %s%n",
                    (System.nanoTime() - started) / 1_000_000_000L, LoadClients.loadAverage(), figures);
        }
        Map<Integer, Long> after = pids();
        for (int i = 1; i <= 3; i++) {
            assertTrue(after.get(i) != null && !after.get(i).equals(before.get(i)), "n" + i + " has a new process: "
                    + before + " -> " + after);
        }
        assertEquals(0, load.figures("session writer").errors(), load.figures("session writer").toString());
        assertEquals(0, load.figures("reader").errors(), load.figures("reader").toString());
        assertEquals(load.acknowledgedWrites(), sessionKeysPresent(load), "every acknowledged session write is there");
    }

    private static Map<Integer, Long> pids() {
        Map<Integer, Long> pids = new HashMap<>();
        cluster.status().forEach(s -> pids.put(s.number(), s.pid()));
        return pids;
    }

    private static long sessionKeysPresent(LoadClients load) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(balancer.resolve("/api/kv?limit=10000&prefix="
                + load.sessionPrefix())).header("Authorization", cluster.appAuthorization()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
            JsonArray list = reader.readArray();
            return list.size();
        }
    }

    /** Waits until HAProxy reports node I's server as {@code UP} or {@code DOWN}; answers how long it took. */
    private static Duration awaitState(int i, String state, Duration within) throws Exception {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        String seen = "";
        while (System.nanoTime() < deadline) {
            seen = serverStates().getOrDefault("n" + i, "missing");
            // "UP 1/2" is an UP server that failed one check, "DOWN 1/2" a DOWN one that passed one.
            if (seen.equals(state)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("n" + i + " not " + state + " in HAProxy within " + within + " (last " + seen + "); "
                + cluster.describe());
    }

    /** Server name to status from HAProxy's statistics CSV on the balancer's port. */
    private static Map<String, String> serverStates() throws Exception {
        HttpResponse<String> r = get(balancer.resolve("/lb/stats;csv"));
        String[] lines = r.body().split("\n");
        List<String> header = List.of(lines[0].replaceFirst("^# ", "").split(","));
        int proxy = header.indexOf("pxname");
        int server = header.indexOf("svname");
        int status = header.indexOf("status");
        Map<String, String> states = new HashMap<>();
        for (int k = 1; k < lines.length; k++) {
            String[] f = lines[k].split(",", -1);
            if (f.length > status && f[proxy].equals("raftstore") && f[server].matches("n\\d+")) {
                states.put(f[server], f[status]);
            }
        }
        return states;
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
