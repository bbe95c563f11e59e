package io.raftstore.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Three clients of the key-value API that run until stopped, each on its own thread, and count what they see:
 * a writer with a client session (it repeats a failed write with the same sequence, as a real client does, so
 * the store applies it once), a writer without one (a failed write is counted and dropped), and a reader of the
 * last write the session writer had acknowledged (linearizable: a 404 there is a lost write). Each client sends
 * to one of {@code targets} and moves to the next after an error (a balancer is one target). Every loop is
 * bounded by {@link #MAX_RUN}.
 */
final class LoadClients {

    static final Duration MAX_RUN = Duration.ofMinutes(6);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final int KEPT_ERRORS = 8;
    /** A step that sent nothing (the reader before the first acknowledged write). */
    private static final String SKIPPED = "skipped";

    /** What one client saw; {@code longestGapMillis} is the longest time between two answers it took as success. */
    record Figures(String client, long ok, long errors, long longestGapMillis, List<String> firstErrors,
                   Map<String, Long> answeredBy) {
        @Override
        public String toString() {
            return client + ": " + ok + " ok, " + errors + " errors, longest time without an answer " + longestGapMillis
                    + " ms, answered by " + answeredBy + (firstErrors.isEmpty() ? "" : ", first errors " + firstErrors);
        }
    }

    // HTTP/1.1 as most clients of a key-value API speak it (the JDK client would try an HTTP/2 upgrade first).
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<URI> targets;
    private final String authorization;
    private final String prefix;
    private final long clientId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    /** The session writer's last acknowledged sequence; its key holds it as value. */
    private final AtomicLong acknowledged = new AtomicLong();
    private final List<Client> clients = new ArrayList<>();
    private volatile boolean running = true;

    /** The node that answered, as a balancer names it (HAProxy's server name, nginx's upstream address). */
    static final String NODE_HEADER = "X-RaftStore-Node";

    LoadClients(List<URI> targets, String authorization, String prefix) {
        this.targets = List.copyOf(targets);
        this.authorization = authorization;
        this.prefix = prefix;
    }

    void start() {
        clients.add(new Client("session writer", this::sessionWrite));
        clients.add(new Client("plain writer", this::plainWrite));
        clients.add(new Client("reader", this::read));
        clients.forEach(c -> c.thread.start());
    }

    /** Waits until every client has at least {@code n} successes; false when that takes longer than {@code within}. */
    boolean awaitSuccesses(long n, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (clients.stream().anyMatch(c -> c.successes() < n)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** Writes the session writer had acknowledged so far: keys {@code prefix + "s-" + 1..n}. */
    long acknowledgedWrites() {
        return acknowledged.get();
    }

    String sessionKey(long sequence) {
        return sessionPrefix() + sequence;
    }

    String sessionPrefix() {
        return prefix + "s-";
    }

    /** The machine's one-minute load average, to print beside the figures. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    List<Figures> stop() throws InterruptedException {
        running = false;
        List<Figures> all = new ArrayList<>();
        for (Client c : clients) {
            c.thread.join(REQUEST_TIMEOUT.multipliedBy(2).toMillis());
            all.add(c.figures());
        }
        return all;
    }

    Figures figures(String client) {
        return clients.stream().filter(c -> c.name.equals(client)).findFirst().orElseThrow().figures();
    }

    /** One request of a client: answers null on success, else what went wrong. */
    private interface Step {
        String send(Client c) throws Exception;
    }

    private String sessionWrite(Client c) throws Exception {
        long sequence = acknowledged.get() + 1;
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(c.uri("/api/kv/" + sessionKey(sequence)))
                .header("RaftStore-Client-Id", Long.toString(clientId))
                .header("RaftStore-Sequence", Long.toString(sequence))
                .PUT(HttpRequest.BodyPublishers.ofString(Long.toString(sequence))));
        if (r.statusCode() / 100 != 2) {
            return "PUT " + r.statusCode() + " " + r.body();
        }
        acknowledged.set(sequence);
        return null;
    }

    private String plainWrite(Client c) throws Exception {
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(c.uri("/api/kv/" + prefix + "p-" + c.successes()))
                .PUT(HttpRequest.BodyPublishers.ofString("plain")));
        return r.statusCode() / 100 == 2 ? null : "PUT " + r.statusCode() + " " + r.body();
    }

    private String read(Client c) throws Exception {
        long sequence = acknowledged.get();
        if (sequence == 0) {
            Thread.sleep(20); // nothing to read back yet
            return SKIPPED;
        }
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(c.uri("/api/kv/" + sessionKey(sequence))).GET());
        if (r.statusCode() == 404) {
            return "LOST: acknowledged write " + sequence + " not found";
        }
        return r.statusCode() == 200 ? null : "GET " + r.statusCode() + " " + r.body();
    }

    private final class Client {
        final String name;
        final Step step;
        final Thread thread;
        final Map<String, Long> answeredBy = new TreeMap<>();
        final List<String> errors = new ArrayList<>();
        // Counts and errors are guarded by this (figures() reads them from the test's thread).
        long ok;
        long failed;
        long longestGap;
        // Used by the client's own thread only; volatile so that no lock is needed to read them.
        volatile int target;
        volatile String lastNode;

        Client(String name, Step step) {
            this.name = name;
            this.step = step;
            this.thread = new Thread(this::loop, "load: " + name);
        }

        URI uri(String path) {
            return targets.get(target).resolve(path);
        }

        HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            HttpResponse<String> r = http.send(request.header("Authorization", authorization).timeout(REQUEST_TIMEOUT)
                    .build(), HttpResponse.BodyHandlers.ofString());
            lastNode = r.headers().firstValue(NODE_HEADER).orElse(targets.get(target).getAuthority());
            return r;
        }

        void loop() {
            long end = System.nanoTime() + MAX_RUN.toNanos();
            long lastOk = System.nanoTime();
            while (running && System.nanoTime() < end) {
                String error;
                try {
                    error = step.send(this);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    error = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
                if (SKIPPED.equals(error)) {
                    continue;
                }
                long now = System.nanoTime();
                synchronized (this) {
                    if (error == null) {
                        ok++;
                        longestGap = Math.max(longestGap, (now - lastOk) / 1_000_000);
                        lastOk = now;
                        answeredBy.merge(lastNode, 1L, Long::sum);
                    } else {
                        failed++;
                        if (errors.size() < KEPT_ERRORS) {
                            errors.add(error.length() > 200 ? error.substring(0, 200) : error);
                        }
                        target = (target + 1) % targets.size();
                    }
                }
            }
            synchronized (this) {
                longestGap = Math.max(longestGap, (System.nanoTime() - lastOk) / 1_000_000);
            }
        }

        synchronized long successes() {
            return ok;
        }

        synchronized Figures figures() {
            return new Figures(name, ok, failed, longestGap, List.copyOf(errors), new TreeMap<>(answeredBy));
        }
    }
}
