package io.raftstore.faults;

import io.raftstore.harness.LocalCluster;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of real Liberty servers, each in its own network namespace, run through the repository's
 * {@code ./cluster} script by cluster-harness's {@link LocalCluster}, from the packaged production server
 * without the sample apps. It uses its own state folder, namespace prefix and subnet (198.18.1.0/24), so it
 * never meets a developer's cluster; the harness wipes it (stopping every node by PID and deleting the
 * namespaces) even when the test JVM is interrupted.
 *
 * <p>A test class registers one as a JUnit extension: {@code @RegisterExtension static final NetnsCluster
 * cluster = NetnsCluster.ofSize(3);} starts it before the class's first test and wipes it after its last.
 * {@link #sharedOfThree()} is one cluster for several classes: started before the first class's first test, it
 * starts whatever node is down before each later class, keeps each class's logs after it, and is wiped when the
 * test JVM exits. A class that shares it leaves it healed, with nodes 1 to 3 members and up.
 */
final class NetnsCluster implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    private final LocalCluster cluster;
    private final int size;
    private final boolean ownDisks;
    /** Node I runs in the network namespace {@code <prefix>-nI} (RAFTSTORE_NETNS_PREFIX). */
    private final String netnsPrefix;
    /** Where {@link #close()} keeps the logs, under {@code fault-cluster-logs} (null: directly in it). */
    private final String logLabel;
    /** Nodes started by {@link #add()}. */
    private int added;
    /** Used by several test classes: {@link #afterAll} keeps the logs and leaves the cluster running. */
    private final boolean shared;
    private static NetnsCluster sharedOfThree;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private NetnsCluster(int size, String logStore, boolean leaseReads, boolean shared) {
        this.size = size;
        this.shared = shared;
        this.netnsPrefix = "rsft";
        this.logLabel = null; // a registered extension keeps them under its test class's name (afterAll)
        // In its namespace node I listens on 198.18.1.I, so the usual ports serve (HTTP 9080+I, JGroups 17800+I).
        LocalCluster.Builder b = LocalCluster.builder("fault-cluster", 9080, 17800).netns().withoutSamples()
                .env("RAFTSTORE_NETNS_PREFIX", netnsPrefix).env("RAFTSTORE_NETNS_OCTET", "1")
                // A small snapshot threshold, so that a node cut off for a while catches up by snapshot.
                .env("RAFTSTORE_SNAPSHOT_ENTRIES", "500")
                .env("RAFTSTORE_LEASE_READS", Boolean.toString(leaseReads))
                .env("RAFTSTORE_LOG_STORE", logStore);
        // A lease cluster's disks can be frozen: a leader's loop stalled while its request threads run.
        this.ownDisks = leaseReads;
        this.cluster = (ownDisks ? b.ownDisks() : b).build();
    }

    /** Whether each node's data is on a filesystem of its own, so that its disk can be frozen. */
    boolean ownDisks() {
        return ownDisks;
    }

    private NetnsCluster(int size, String netnsPrefix, String logLabel, LocalCluster cluster) {
        this.ownDisks = false;
        this.shared = false;
        this.size = size;
        this.netnsPrefix = netnsPrefix;
        this.logLabel = logLabel;
        this.cluster = cluster;
    }

    /**
     * {@code ./cluster start --netns --dns}: members named nI.raftstore.test, served by the lab's dnsmasq, on
     * 198.18.4.0/24; {@code discovery} is {@code raftstore.discovery} (static or dns). Started by {@link #start()}.
     */
    static NetnsCluster byDns(int size, String discovery) {
        return new NetnsCluster(size, "rsfd", "dns-" + discovery, LocalCluster.builder("fault-cluster", 9080, 7800).dns().withoutSamples()
                .env("RAFTSTORE_NETNS_PREFIX", "rsfd").env("RAFTSTORE_NETNS_OCTET", "4")
                .env("RAFTSTORE_DISCOVERY", discovery).build());
    }

    /** Starts every node, fresh, and waits until each is ready. */
    void start() {
        cluster.start(size);
    }

    /** A cluster of {@code size} nodes with the default log store (the write-ahead log), started by {@link #beforeAll}. */
    static NetnsCluster ofSize(int size) {
        return new NetnsCluster(size, "wal", false, false);
    }

    /**
     * As {@link #ofSize(int) ofSize(3)}, one cluster for every class that asks (see the class comment): a start
     * costs about 25 s of a CI run's two cores, and the classes that use it only need three default nodes.
     */
    static synchronized NetnsCluster sharedOfThree() {
        if (sharedOfThree == null) {
            sharedOfThree = new NetnsCluster(3, "wal", false, true);
        }
        return sharedOfThree;
    }

    /** As {@link #ofSize(int)}, each node keeping its Raft log in {@code logStore} ({@code raftstore.log.store}). */
    static NetnsCluster ofSize(int size, String logStore) {
        return new NetnsCluster(size, logStore, false, false);
    }

    /** As {@link #ofSize(int)}, every leader serving LEASE reads from its lease ({@code raftstore.lease.reads}). */
    static NetnsCluster withLeaseReads(int size) {
        return new NetnsCluster(size, "wal", true, false);
    }

    /**
     * Starts the nodes with {@code ./cluster start --netns}, fresh (any earlier state is wiped); a shared cluster
     * already running only gets the nodes that are down started again.
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        cluster.start(size);
    }

    /** Keeps the nodes' logs in {@code fault-cluster-logs/<test class>}: the next class would overwrite them. */
    @Override
    public void afterAll(ExtensionContext context) {
        String label = context.getRequiredTestClass().getSimpleName();
        if (shared) {
            cluster.keepLogs(label);
        } else {
            cluster.close(label);
        }
    }

    int size() {
        return size;
    }

    /** Node i's base URL (1-based), e.g. {@code http://198.18.1.2:9082}. */
    String url(int i) {
        return cluster.url(i).toString();
    }

    /** The cluster's script driver, for what this class does not wrap. */
    LocalCluster local() {
        return cluster;
    }

    /** Runs {@code ./cluster args...}; answers its output, fails with that output when it fails. */
    String script(String... args) {
        return cluster.run(args);
    }

    /** {@code ./cluster I args}, for the commands that take a node number first. */
    void onNode(String command, int node, String... more) {
        List<String> args = new ArrayList<>(List.of(command, Integer.toString(node)));
        args.addAll(List.of(more));
        script(args.toArray(String[]::new));
    }

    /** Node i's {@code /api/cluster/status}, or empty when it does not answer within a second. */
    Optional<JsonObject> status(int i) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(i) + "/api/cluster/status"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return Optional.empty();
            }
            try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
                return Optional.of(reader.readObject());
            }
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The node (1-based) that calls itself leader, among those that answer; 0 when none does. */
    int leader() {
        for (int i = 1; i <= size; i++) {
            Optional<JsonObject> s = status(i);
            if (s.isPresent() && "LEADER".equals(s.get().getString("role", ""))) {
                return i;
            }
        }
        return 0;
    }

    /** Waits until one node leads and every node in {@code nodes} names it; answers the leader. */
    int awaitLeaderSeenBy(Duration within, int... nodes) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            int l = leader();
            if (l > 0 && agreeOn(l, nodes)) {
                return l;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no leader seen by " + Arrays.toString(nodes) + " within " + within
                + "\n" + describe());
    }

    private boolean agreeOn(int leader, int... nodes) {
        for (int n : nodes) {
            Optional<JsonObject> s = status(n);
            if (s.isEmpty() || !("n" + leader).equals(s.get().getString("leaderId", ""))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits until every node's JGroups view holds every member (each reports every member reachable) and answers
     * when that was seen: a healed partition is healed for the transport only then, and a test that cuts again
     * before it starts from a split view.
     */
    Instant awaitWholeViews(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (viewsWhole()) {
                return Instant.now();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the nodes' views did not hold every member within " + within + "\n" + describe());
    }

    private boolean viewsWhole() {
        for (int i = 1; i <= size; i++) {
            Optional<JsonObject> s = status(i);
            if (s.isEmpty() || s.get().getJsonArray("members").stream()
                    .anyMatch(m -> !m.asJsonObject().getBoolean("reachable", false))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Every node's record ({@code GET /api/cluster/reachability}) of a peer leaving its view after {@code since},
     * as "n2 lost n1 at 2026-12-03T09:38:41.826Z"; a node that does not answer is named as such.
     */
    List<String> peersLostSince(Instant since) throws InterruptedException {
        List<String> lost = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(i)
                        + "/api/cluster/reachability?limit=1000")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
                    for (JsonValue v : reader.readArray()) {
                        JsonObject e = v.asJsonObject();
                        if (!e.getBoolean("reachable") && Instant.parse(e.getString("time")).isAfter(since)) {
                            lost.add("n" + i + " lost " + e.getString("peer") + " at " + e.getString("time"));
                        }
                    }
                }
            } catch (IOException e) {
                lost.add("n" + i + " did not answer: " + e);
            }
        }
        return lost;
    }

    /**
     * Node i's TCP connects still waiting for an answer to their SYN ({@code ss state syn-sent} in its namespace),
     * each as "local -> peer": what a node cut off by dropped packets is left with.
     */
    Set<String> pendingConnects(int i) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "exec", netnsPrefix + "-n" + i, "ss", "-Htn", "state", "syn-sent")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("ss in namespace " + netnsPrefix + "-n" + i + " failed: " + out);
        }
        Set<String> connects = new TreeSet<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4) {
                connects.add(f[2] + " -> " + f[3]); // Recv-Q Send-Q Local Peer
            }
        }
        return connects;
    }

    /** Node i's term, or -1 when it does not answer. */
    long term(int i) {
        return status(i).map(s -> s.getJsonNumber("term").longValue()).orElse(-1L);
    }

    /** Every node's status, for a failure message. */
    String describe() {
        StringBuilder b = new StringBuilder("cluster:");
        for (int i = 1; i <= size; i++) {
            b.append("\n  n").append(i).append(": ").append(status(i).map(Object::toString).orElse("(no answer)"));
        }
        return b.toString();
    }

    /**
     * An admin request (HTTP Basic as {@code admin}) to node i: {@code method} POST or DELETE, {@code json}
     * the body or null. Answers the status and the body.
     */
    HttpResponse<String> admin(String method, int i, String path, String json) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        return http.send(HttpRequest.newBuilder(URI.create(url(i) + path)).header("Authorization", LocalCluster.basicAuthorization("admin", adminPassword()))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(15))
                .method(method, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * {@code ./cluster add}: one more node in join mode, not a member until an admin adds it; answers its
     * number. It is not among the {@link #size()} nodes the clients use.
     */
    int add() {
        cluster.add();
        return size + (++added);
    }

    /** A client of the key-value API, logged in as {@code app} (roles reader and writer). */
    KvClient kv(Duration timeout) {
        return new KvClient(timeout, cluster.appAuthorization());
    }

    /** The admin's password of this cluster: ./cluster generated it into its credentials file. */
    String adminPassword() {
        return cluster.adminPassword();
    }

    /** Keeps the nodes' logs beside the state folder (in {@code fault-cluster-logs/<label>}) and wipes the cluster. */
    @Override
    public void close() {
        cluster.close(logLabel);
    }
}
