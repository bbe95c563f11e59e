package io.raftstore.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One RaftStore node as a real Liberty server process: the server liberty-config installed, with its own
 * output and data directories and ports on 127.0.0.1. It can be killed (SIGKILL) and started again on its
 * data. Always stopped through its own process handle, never by name.
 */
final class LibertyNode implements AutoCloseable {

    private final Path wlp;
    private final Path dir;
    private final String nodeId;
    private final String members;
    private final Map<String, String> extraEnv;
    final int httpPort;
    private Process process;

    LibertyNode(Path wlp, Path dir, String nodeId, String members, int httpPort, Map<String, String> extraEnv) {
        this.wlp = wlp;
        this.dir = dir;
        this.nodeId = nodeId;
        this.members = members;
        this.httpPort = httpPort;
        this.extraEnv = extraEnv;
    }

    String nodeId() {
        return nodeId;
    }

    /** Starts the server process (again, on the same data, after {@link #kill()}). */
    void start() throws IOException {
        Path server = wlp.resolve("bin/server");
        if (!Files.isExecutable(server)) {
            throw new IllegalStateException(server + " is missing: build liberty-config first");
        }
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("out"));
        ProcessBuilder pb = new ProcessBuilder(server.toString(), "run", "raftstore");
        Map<String, String> env = pb.environment();
        env.put("WLP_OUTPUT_DIR", dir.resolve("out").toAbsolutePath().toString());
        env.put("RAFTSTORE_NODE_ID", nodeId);
        env.put("RAFTSTORE_MEMBERS", members);
        env.put("RAFTSTORE_DATA_DIR", dir.resolve("data").toAbsolutePath().toString());
        env.put("RAFTSTORE_HTTP_PORT", Integer.toString(httpPort));
        env.put("JVM_ARGS", "-Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.net.preferIPv4Stack=true");
        env.putAll(extraEnv);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(console().toFile()));
        Files.writeString(console(), "=== start " + nodeId + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        process = pb.start();
    }

    private Path console() {
        return dir.resolve("console.log");
    }

    /** Waits until the node is ready (a leader known, caught up) and the sample application answers. */
    void awaitReady(Duration timeout, HttpClient http) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(nodeId + " exited with " + process.exitValue() + "; see " + console());
            }
            if (status(http, "/health/ready") == 200 && status(http, "/accounts/api/accounts") == 200) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(nodeId + " was not ready within " + timeout + "; see " + console());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    private int status(HttpClient http, String path) {
        try {
            return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGKILL: a crash, nothing flushed or handed over. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        // `server run` execs java, so this is the server itself: SIGTERM lets Liberty stop the node cleanly.
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
