package io.raftstore.it;

import io.raftstore.harness.LocalCluster;
import jakarta.json.Json;
import jakarta.json.JsonReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operating a real three-node cluster (issue 16) behind HAProxy ({@code ./cluster lb start haproxy}, the shipped
 * liberty-config/src/main/lb/haproxy.cfg), with a session writer, a plain writer and a reader going through it
 * ({@link LoadClients}): while the leader is killed, a follower is paused and resumed and the killed node is
 * restarted, and during {@code ./cluster rolling-restart}. Each test leaves every node up and ready. The tests
 * print every client's figures (errors, longest time without an answer) for docs/operations.md. One cluster
 * serves them all, and the module's other classes too ({@link SharedCluster}).
 */
class OperationsIT {

    /** HAProxy's checks: every {@code inter} (1 s), {@code fall} 2 failures of at most {@code timeout check} (1 s). */
    private static final Duration PROBE_BOUND = Duration.ofSeconds(2 * (1 + 1) + 1);
    // HTTP/1.1: the JDK client's attempt to upgrade to HTTP/2 on a plain connection confused HAProxy (GOAWAY).
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static LocalCluster cluster;
    private static URI balancer;

    @BeforeAll
    static void start() {
        cluster = SharedCluster.threeNodes();
        balancer = cluster.startBalancer("haproxy");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.keepLogs("operations");
            cluster.stopBalancer();
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

            // Back before anything else breaks: with one node dead and one paused there is no majority.
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

            int follower = cluster.awaitLeader(Duration.ofSeconds(30)) % 3 + 1;
            cluster.pause(follower);
            Duration out = awaitState(follower, "DOWN", Duration.ofSeconds(30));
            System.out.println("LB: paused follower n" + follower + " out of the rotation after " + out.toMillis() + " ms");
            assertTrue(out.compareTo(PROBE_BOUND) <= 0, "a paused node leaves within " + PROBE_BOUND + ", took " + out);
            long okBefore = load.figures("reader").ok();
            assertTrue(load.awaitSuccesses(okBefore + 20, Duration.ofSeconds(30)), "clients go on without n" + follower);
            cluster.resume(follower);
            Duration back = awaitState(follower, "UP", Duration.ofSeconds(60));
            System.out.println("LB: resumed n" + follower + " back in the rotation after " + back.toMillis() + " ms");
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

    /**
     * nginx ({@code ./cluster lb start nginx}) passes reads and session writes to another node when one is killed,
     * so those clients see no error; HAProxy is back in front afterwards.
     */
    @Test
    void nginxPassesReadsAndSessionWritesToAnotherNodeWhenOneDies() throws Exception {
        cluster.stopBalancer();
        try {
            URI nginx = cluster.startBalancer("nginx");
            LoadClients load = new LoadClients(List.of(nginx), cluster.appAuthorization(), "nginx/");
            load.start();
            long started = System.nanoTime();
            int victim = cluster.awaitLeader(Duration.ofSeconds(30)) % 3 + 1;
            try {
                assertTrue(load.awaitSuccesses(20, Duration.ofSeconds(60)), "clients got going through nginx");
                cluster.kill(victim);
                assertTrue(load.awaitSuccesses(load.figures("reader").ok() + 50, Duration.ofSeconds(30)),
                        "clients go on without n" + victim);
            } finally {
                List<LoadClients.Figures> figures = load.stop();
                System.out.printf("NGINX figures (follower n%d killed, %d s, load average %s): %s%n", victim,
                        (System.nanoTime() - started) / 1_000_000_000L, LoadClients.loadAverage(), figures);
            }
            assertEquals(0, load.figures("session writer").errors(), load.figures("session writer").toString());
            assertEquals(0, load.figures("reader").errors(), load.figures("reader").toString());
            cluster.restart(victim);
            awaitReady(victim);
        } finally {
            cluster.stopBalancer();
            cluster.startBalancer("haproxy");
        }
    }

    private static void awaitReady(int i) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (!ready(i)) {
            assertTrue(System.nanoTime() < deadline, "n" + i + " ready within 180 s: " + cluster.describe());
            Thread.sleep(200);
        }
    }

    private static boolean ready(int i) throws InterruptedException {
        try {
            return get(cluster.url(i).resolve("/health/ready")).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    /**
     * A backup from {@code POST /api/cluster/backup} is restored with {@code ./cluster restore} only when intact
     * and of this node of this cluster; a refused one changes nothing (the node keeps running on its data). The
     * restored node comes back as a new incarnation and the leader catches it up past the backup.
     */
    @Test
    void aBackupIsRestoredOnlyWhenIntactAndOfThisCluster() throws Exception {
        int leader = cluster.awaitLeader(Duration.ofSeconds(30));
        int node = leader % 3 + 1;
        assertEquals(2, put("backup/before", "1") / 100);
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(cluster.url(node).resolve("/api/cluster/backup"))
                .header("Authorization", LocalCluster.basicAuthorization("admin", cluster.adminPassword()))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        // Absolute: the script runs in the repository root.
        Path dir = Files.createDirectories(Path.of("target/backups").toAbsolutePath());
        Path backup = Files.write(dir.resolve("n" + node + ".zip"), r.body());
        assertEquals(2, put("backup/after", "2") / 100);

        Map<String, byte[]> files = unzip(r.body());
        byte[] db = files.get("raftstore.mv.db").clone();
        db[db.length / 2] ^= 1;
        Map<String, byte[]> damaged = new TreeMap<>(files);
        damaged.put("raftstore.mv.db", db);
        assertRefused(node, zip(dir.resolve("damaged.zip"), damaged), "damaged");

        // Another cluster's backup differs in its identity: another CA (every cluster makes its own).
        Map<String, byte[]> foreign = new TreeMap<>(files);
        String identity = new String(files.get("cluster-identity.properties"), StandardCharsets.UTF_8);
        foreign.put("cluster-identity.properties", identity.replaceFirst("cluster\\.ca\\.sha256=\\w+",
                "cluster.ca.sha256=" + "ab".repeat(32)).getBytes(StandardCharsets.UTF_8));
        foreign.put("SHA256SUMS", checksums(foreign));
        assertRefused(node, zip(dir.resolve("foreign.zip"), foreign), "another cluster");

        int other = node % 3 + 1;
        assertRefused(other, backup, "not n" + other);

        long before = pid(node);
        long restoring = System.nanoTime();
        String out = cluster.run("restore", Integer.toString(node), backup.toString());
        System.out.printf("BACKUP figures: backup of n%d %d bytes in %d files; ./cluster restore until ready %d ms (load average %s)%n",
                node, r.body().length, files.size(), (System.nanoTime() - restoring) / 1_000_000, LoadClients.loadAverage());
        assertTrue(out.contains("n" + node + " restored"), out);
        assertTrue(pid(node) != before, "n" + node + " runs a new process");
        assertTrue(Files.readString(cluster.messagesLog(node)).contains("restored from a backup: it is a new incarnation"),
                "the node renewed its incarnation");
        for (String key : List.of("backup/before", "backup/after")) {
            HttpResponse<String> read = HTTP.send(HttpRequest.newBuilder(cluster.url(node).resolve("/api/kv/" + key))
                    .header("Authorization", cluster.appAuthorization()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, read.statusCode(), key + " on the restored n" + node + ": " + read.body());
        }
    }

    private static void assertRefused(int node, Path file, String why) {
        long before = pid(node);
        String out = cluster.runRefused("restore", Integer.toString(node), file.toString());
        assertTrue(out.contains(why) && out.contains("nothing was changed"), out);
        assertEquals(before, pid(node), "a refused restore leaves n" + node + " running: " + out);
    }

    private static int put(String key, String value) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(balancer.resolve("/api/kv/" + key))
                .header("Authorization", cluster.appAuthorization()).PUT(HttpRequest.BodyPublishers.ofString(value))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                files.put(e.getName(), in.readAllBytes());
            }
        }
        return files;
    }

    private static Path zip(Path file, Map<String, byte[]> files) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                out.putNextEntry(new ZipEntry(f.getKey()));
                out.write(f.getValue());
                out.closeEntry();
            }
        }
        return file;
    }

    /** SHA256SUMS as sha256sum writes it, over every other file. */
    private static byte[] checksums(Map<String, byte[]> files) throws Exception {
        StringBuilder sums = new StringBuilder();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            if (!f.getKey().equals("SHA256SUMS")) {
                sums.append(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(f.getValue())))
                        .append("  ").append(f.getKey()).append('\n');
            }
        }
        return sums.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long pid(int node) {
        return cluster.status().stream().filter(s -> s.number() == node).findFirst().orElseThrow().pid();
    }

    private static Map<Integer, Long> pids() {
        Map<Integer, Long> pids = new HashMap<>();
        cluster.status().forEach(s -> pids.put(s.number(), s.pid()));
        return pids;
    }

    private static long sessionKeysPresent(LoadClients load) throws Exception {
        return keysUnder(load.sessionPrefix());
    }

    /**
     * Keys under a prefix of decimal sequence numbers; a scan answers 10,000 at most, so a prefix with more is
     * counted as its own key plus the keys under each of its ten one-digit longer prefixes.
     */
    private static long keysUnder(String prefix) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(balancer.resolve("/api/kv?limit=10000&prefix=" + prefix))
                .header("Authorization", cluster.appAuthorization()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        if (!r.headers().firstValue("RaftStore-More").orElse("false").equals("true")) {
            try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
                return reader.readArray().size();
            }
        }
        HttpResponse<String> self = HTTP.send(HttpRequest.newBuilder(balancer.resolve("/api/kv/" + prefix))
                .header("Authorization", cluster.appAuthorization()).build(), HttpResponse.BodyHandlers.ofString());
        long n = self.statusCode() == 200 ? 1 : 0;
        for (int digit = 0; digit <= 9; digit++) {
            n += keysUnder(prefix + digit);
        }
        return n;
    }

    /** Waits until HAProxy reports node I's server as {@code UP} or {@code DOWN}; answers how long it took. */
    private static Duration awaitState(int i, String state, Duration within) throws Exception {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        String seen = "";
        while (System.nanoTime() < deadline) {
            Map<String, String> states = serverStates();
            seen = states.getOrDefault("n" + i, "missing from " + states);
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
        if (r.statusCode() != 200 || !lines[0].startsWith("# pxname")) {
            return Map.of("answer", r.statusCode() + " " + r.body().substring(0, Math.min(200, r.body().length())));
        }
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

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
