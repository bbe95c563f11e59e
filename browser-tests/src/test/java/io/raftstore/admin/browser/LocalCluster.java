package io.raftstore.admin.browser;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real three-node cluster (and a fourth node added in join mode) for the browser tests, run through the repository's {@code ./cluster} script on
 * ports of its own (HTTP 9560+I, JGroups 19660+I with failure detection on 19760+I; both movable with the
 * system properties {@code browser.http.base} and {@code browser.jgroups.base}) and its own state folder, so it
 * never meets a developer's cluster, the script's own test or another module's benchmark cluster. The script starts, kills (kill -9) and stops every node by its PID; a
 * shutdown hook wipes the cluster even when the test JVM is interrupted.
 */
final class LocalCluster implements AutoCloseable {

    static final int HTTP_BASE = Integer.getInteger("browser.http.base", 9560);
    static final int JGROUPS_BASE = Integer.getInteger("browser.jgroups.base", 19660);
    private static final Pattern LEADER = Pattern.compile("\"leaderId\":\"([^\"]+)\"");
    private static final Pattern ROLE = Pattern.compile("\"role\":\"([A-Z]+)\",\"term\"");

    final String adminPassword = randomPassword();
    final String viewerPassword = randomPassword();
    private final Path root;
    private final Path state;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread wipeOnExit = new Thread(this::wipeQuietly, "wipe browser-test cluster");
    /** Nodes started so far, those added in join mode included. */
    private volatile int nodes;

    LocalCluster(Path root, Path state) {
        this.root = root;
        this.state = state;
    }

    void start(int nodes) throws IOException, InterruptedException {
        wipeQuietly();
        Runtime.getRuntime().addShutdownHook(wipeOnExit);
        run(300, "start", String.valueOf(nodes));
        this.nodes = nodes;
    }

    /** {@code ./cluster add}: one more node in join mode, not a member until an admin adds it; answers its number. */
    int add() throws IOException, InterruptedException {
        run(300, "add");
        return ++nodes;
    }

    /** The Raft (JGroups) address the script gives node {@code i}. */
    static String raftAddress(int i) {
        return "127.0.0.1:" + (JGROUPS_BASE + i);
    }

    /** kill -9 of node {@code i}, by the PID the script recorded. */
    void kill(int i) throws IOException, InterruptedException {
        run(30, "kill", String.valueOf(i));
    }

    @Override
    public void close() {
        keepLogs();
        wipeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(wipeOnExit);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // Already running or never added: nothing to undo.
        }
    }

    /** Copies each node's logs next to the state folder before the wipe deletes them: failures need them. */
    private void keepLogs() {
        Path logs = state.resolveSibling(state.getFileName() + "-logs");
        for (int i = 1; i <= nodes; i++) {
            Path node = state.resolve("n" + i);
            for (Path log : List.of(node.resolve("console.log"), node.resolve("out/raftstore/logs/messages.log"))) {
                try {
                    if (Files.exists(log)) {
                        Files.createDirectories(logs);
                        Files.copy(log, logs.resolve("n" + i + "-" + log.getFileName()),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    System.err.println("could not keep " + log + ": " + e);
                }
            }
        }
    }

    /** Every node's own status answer, for a failure message. */
    String describe() {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= nodes; i++) {
            b.append("\n  n").append(i).append(": ").append(get(i, "/api/cluster/status"));
        }
        return b.toString();
    }

    private void wipeQuietly() {
        try {
            run(180, "wipe");
        } catch (Exception e) {
            System.err.println("wiping the browser-test cluster failed: " + e);
        }
    }

    private void run(int timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("cluster").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("RAFTSTORE_CLUSTER_DIR", state.toString());
        env.put("RAFTSTORE_HTTP_BASE", String.valueOf(HTTP_BASE));
        env.put("RAFTSTORE_JGROUPS_BASE", String.valueOf(JGROUPS_BASE));
        env.put("RAFTSTORE_ADMIN_PASSWORD", adminPassword);
        env.put("RAFTSTORE_VIEWER_PASSWORD", viewerPassword);
        Files.createDirectories(state.getParent());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("./cluster " + String.join(" ", args) + " timed out");
        }
        System.out.println("./cluster " + String.join(" ", args) + "\n" + out.replace(adminPassword, "***")
                .replace(viewerPassword, "***"));
        if (p.exitValue() != 0) {
            throw new IllegalStateException("./cluster " + String.join(" ", args) + " failed: " + out);
        }
    }

    static URI url(int node) {
        return URI.create("http://127.0.0.1:" + (HTTP_BASE + node));
    }

    /** The node number of the leader as node {@code asked} reports it, or 0. */
    int leaderAccordingTo(int asked) {
        String s = get(asked, "/api/cluster/status");
        Matcher m = s == null ? null : LEADER.matcher(s);
        return m != null && m.find() ? Integer.parseInt(m.group(1).substring(1)) : 0;
    }

    /** The leader that answers as LEADER itself, or 0. */
    int leader() {
        for (int i = 1; i <= nodes; i++) {
            String s = get(i, "/api/cluster/status");
            Matcher m = s == null ? null : ROLE.matcher(s);
            if (m != null && m.find() && m.group(1).equals("LEADER")) {
                return i;
            }
        }
        return 0;
    }

    String get(int node, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url(node).resolve(path))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Sends a request and answers its status code; {@code user} null sends no credentials. */
    int send(int node, String method, String path, String body, String user, String password)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(url(node).resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String randomPassword() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
