package io.raftstore.faults;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of real Liberty servers, each in its own network namespace, run through the repository's
 * {@code ./cluster} script exactly as a user runs it. It uses its own state folder, namespace prefix and
 * subnet (198.18.1.0/24), so it never meets a developer's cluster; a shutdown hook wipes it (stopping every
 * node by PID and deleting the namespaces) even when the test JVM is interrupted.
 *
 * <p>A test class registers one as a JUnit extension: {@code @RegisterExtension static final NetnsCluster
 * cluster = NetnsCluster.ofSize(3);} starts it before the class's first test and wipes it after its last.
 */
final class NetnsCluster implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(5);

    private final Path root;
    private final Map<String, String> env;
    private final int size;
    private final List<String> urls = new ArrayList<>();
    /** Nodes started by {@link #add()}. */
    private int added;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Thread wipeOnExit = new Thread(this::wipeQuietly, "wipe fault-test cluster");

    private NetnsCluster(Path root, Path stateDir, int size) {
        this.root = root;
        this.size = size;
        this.env = Map.of("RAFTSTORE_CLUSTER_DIR", stateDir.toString(),
                "RAFTSTORE_NETNS_PREFIX", "rsft", "RAFTSTORE_NETNS_OCTET", "1",
                // A small snapshot threshold, so that a node cut off for a while catches up by snapshot.
                "RAFTSTORE_SNAPSHOT_ENTRIES", "500");
    }

    /** A cluster of {@code size} nodes, started by {@link #beforeAll}. */
    static NetnsCluster ofSize(int size) {
        Path root = Path.of(System.getProperty("raftstore.root", "..")).toAbsolutePath().normalize();
        Path dir = Path.of(System.getProperty("cluster.dir", "target/fault-cluster")).toAbsolutePath();
        return new NetnsCluster(root, dir, size);
    }

    /** Starts the nodes with {@code ./cluster start --netns}, fresh: any earlier state is wiped. */
    @Override
    public void beforeAll(ExtensionContext context) throws IOException, InterruptedException {
        Runtime.getRuntime().addShutdownHook(wipeOnExit);
        script("wipe");
        script("start", "--netns", Integer.toString(size));
        for (int i = 1; i <= size; i++) {
            urls.add(script("url", Integer.toString(i)).strip());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    int size() {
        return size;
    }

    /** Node i's base URL (1-based), e.g. {@code http://198.18.1.2:9082}. */
    String url(int i) {
        return urls.get(i - 1);
    }

    /** Runs {@code ./cluster args...}; answers its output, fails with that output when it fails. */
    String script(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("cluster").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out;
        try (var in = p.getInputStream()) {
            out = in.readAllBytes(); // ends when the script (and anything holding its output) is done
        }
        if (!p.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("./cluster " + String.join(" ", args) + " timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("./cluster " + String.join(" ", args) + " failed: " + text);
        }
        return text;
    }

    /** {@code ./cluster I args}, for the commands that take a node number first. */
    void onNode(String command, int node, String... more) throws IOException, InterruptedException {
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
        throw new AssertionError("no leader seen by " + java.util.Arrays.toString(nodes) + " within " + within
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
        String auth = java.util.Base64.getEncoder().encodeToString(("admin:" + adminPassword())
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        return http.send(HttpRequest.newBuilder(URI.create(url(i) + path)).header("Authorization", "Basic " + auth)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(15))
                .method(method, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * {@code ./cluster add}: one more node in join mode, not a member until an admin adds it; answers its
     * number. It is not among the {@link #size()} nodes the clients use.
     */
    int add() throws IOException, InterruptedException {
        script("add");
        int n = size + (++added);
        urls.add(script("url", Integer.toString(n)).strip());
        return n;
    }

    /** The admin's password of this cluster: ./cluster generated it into its credentials file. */
    String adminPassword() throws IOException {
        for (String line : Files.readAllLines(Path.of(env.get("RAFTSTORE_CLUSTER_DIR"), "credentials"))) {
            if (line.startsWith("RAFTSTORE_ADMIN_PASSWORD=")) {
                return line.substring(line.indexOf('=') + 1);
            }
        }
        throw new IllegalStateException("no RAFTSTORE_ADMIN_PASSWORD in the cluster's credentials file");
    }

    @Override
    public void close() {
        wipeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(wipeOnExit);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs (or ran) the same wipe
        }
    }

    private void wipeQuietly() {
        try {
            script("wipe");
        } catch (Exception e) {
            System.err.println("wiping the fault-test cluster failed: " + e);
        }
    }
}
