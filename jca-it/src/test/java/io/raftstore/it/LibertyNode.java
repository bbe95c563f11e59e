package io.raftstore.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One RaftStore node as a real Liberty server process (a one-node cluster): the server liberty-config
 * installed, with its own output and data directories and free ports on 127.0.0.1. Stopped by its own
 * process (SIGTERM, then SIGKILL after a minute), never by name.
 */
final class LibertyNode implements AutoCloseable {

    private final Process process;
    private final Path console;
    final int httpPort;

    private LibertyNode(Process process, Path console, int httpPort) {
        this.process = process;
        this.console = console;
        this.httpPort = httpPort;
    }

    static LibertyNode start(Path wlp, Path dir, Map<String, String> extraEnv) throws IOException {
        Path server = wlp.resolve("bin/server");
        if (!Files.isExecutable(server)) {
            throw new IllegalStateException(server + " is missing: build liberty-config first");
        }
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("out"));
        int http = freePort();
        int jgroups = freePort();
        ProcessBuilder pb = new ProcessBuilder(server.toString(), "run", "raftstore");
        Map<String, String> env = pb.environment();
        env.put("WLP_OUTPUT_DIR", dir.resolve("out").toString());
        env.put("RAFTSTORE_NODE_ID", "n1");
        env.put("RAFTSTORE_MEMBERS", "n1=127.0.0.1:" + jgroups);
        env.put("RAFTSTORE_DATA_DIR", dir.resolve("data").toAbsolutePath().toString());
        env.put("RAFTSTORE_HTTP_PORT", Integer.toString(http));
        env.put("JVM_ARGS", "-Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.net.preferIPv4Stack=true");
        env.putAll(extraEnv);
        Path console = dir.resolve("console.log");
        pb.redirectErrorStream(true).redirectOutput(console.toFile());
        return new LibertyNode(pb.start(), console, http);
    }

    /** Waits until the node is ready (a leader known) and the sample application answers. */
    void awaitReady(Duration timeout, HttpClient http) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + "; see " + console);
            }
            if (status(http, "/health/ready") == 200 && status(http, "/accounts/api/accounts") == 200) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the server was not ready within " + timeout + "; see " + console);
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

    @Override
    public void close() throws InterruptedException {
        // `server run` execs java, so this is the server itself: SIGTERM lets Liberty stop the node cleanly.
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
