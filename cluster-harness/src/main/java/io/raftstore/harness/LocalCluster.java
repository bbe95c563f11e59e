package io.raftstore.harness;

import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A real local cluster for a test, run through the repository's {@code ./cluster} script exactly as a user
 * runs it: the script launches, stops and kills every node by its PID, and answers for status and leader.
 * Each cluster has its own state folder and ports (or, with {@link Builder#netns()}, its own namespaces), so
 * it never meets a developer's cluster or another module's.
 *
 * <p>What the nodes run comes from the build, through system properties the module's pom sets:
 * {@code raftstore.root} (the repository, holding {@code ./cluster}), {@code raftstore.server.dir} (the
 * production server, unpacked from {@code liberty-config:zip:server}) and {@code raftstore.dev.apps.dir} (the
 * sample and benchmark WARs, for a cluster with samples).
 *
 * <p>{@link #close()} keeps every node's logs beside the state folder and wipes the cluster; a shutdown hook
 * does the same wipe when the test JVM is stopped first.
 */
public final class LocalCluster implements AutoCloseable {

    private final Path root;
    private final Path state;
    private final Map<String, String> env;
    private final boolean netns;
    private final boolean dns;
    private final boolean samples;
    private final boolean ownDisks;
    private final int jgroupsBase;
    private final Duration scriptTimeout;
    private final Map<Integer, URI> urls = new HashMap<>();
    private final Thread wipeOnExit = new Thread(this::wipeQuietly, "wipe the test cluster");
    private boolean started;
    /** Nodes started so far, those added in join mode included. */
    private volatile int nodes;

    private LocalCluster(Builder b) {
        this.root = b.root;
        this.state = b.state;
        this.netns = b.netns;
        this.dns = b.dns;
        this.samples = b.samples;
        this.ownDisks = b.ownDisks;
        this.jgroupsBase = b.jgroupsBase;
        this.scriptTimeout = b.scriptTimeout;
        Map<String, String> e = new LinkedHashMap<>();
        e.put("RAFTSTORE_CLUSTER_DIR", state.toString());
        e.put("RAFTSTORE_HTTP_BASE", Integer.toString(b.httpBase));
        e.put("RAFTSTORE_JGROUPS_BASE", Integer.toString(b.jgroupsBase));
        property("raftstore.server.dir").ifPresent(dir -> e.put("RAFTSTORE_SERVER_DIR", dir));
        property("raftstore.dev.apps.dir").ifPresent(dir -> e.put("RAFTSTORE_DEV_APPS_DIR", dir));
        e.putAll(b.env);
        this.env = Map.copyOf(e);
    }

    /**
     * A cluster whose state lives in {@code target/<name>} (or the {@code cluster.dir} system property) with
     * node I on HTTP port {@code httpBase + I} and JGroups port {@code jgroupsBase + I} (failure detection on
     * that plus 100); the system properties {@code cluster.http.base} and {@code cluster.jgroups.base} move them.
     */
    public static Builder builder(String name, int httpBase, int jgroupsBase) {
        return new Builder(name, httpBase, jgroupsBase);
    }

    /**
     * {@code ./cluster start N}: on a cluster this object has not started yet, wipes what an earlier run may have
     * left and starts N nodes; later, starts those of the N that are down, on their data. Returns once every
     * node it started is ready (a leader known, caught up, every application started).
     */
    public void start(int n) {
        List<String> args = new ArrayList<>(List.of("start"));
        if (netns) {
            args.add("--netns");
        }
        if (dns) {
            args.add("--dns");
        }
        if (!samples) {
            args.add("--no-samples");
        }
        if (ownDisks) {
            args.add("--own-disks");
        }
        args.add(Integer.toString(n));
        if (!started) {
            wipeQuietly();
            Runtime.getRuntime().addShutdownHook(wipeOnExit);
            started = true;
        }
        run(args.toArray(String[]::new));
        nodes = Math.max(nodes, n);
    }

    /** {@code ./cluster add}: one more node in join mode, a member only once an admin adds it; answers its number. */
    public int add() {
        run("add");
        return ++nodes;
    }

    /** {@code ./cluster kill I}: kill -9, nothing flushed or handed over. */
    public void kill(int i) {
        run("kill", Integer.toString(i));
    }

    /**
     * {@code ./cluster restart I [J...]}: the nodes again on their data, launched together; returns once each has
     * started (not necessarily ready).
     */
    public void restart(int first, int... more) {
        List<String> args = new ArrayList<>(List.of("restart", Integer.toString(first)));
        for (int i : more) {
            args.add(Integer.toString(i));
        }
        run(args.toArray(String[]::new));
    }

    /**
     * {@code ./cluster disk freeze I} (true) or {@code thaw I} (false): every write and sync to node I's data waits
     * until thawed, as on a volume that stopped answering (a {@link Builder#ownDisks()} cluster).
     */
    public void freezeDisk(int i, boolean frozen) {
        run("disk", frozen ? "freeze" : "thaw", Integer.toString(i));
    }

    /** {@code ./cluster dns hide I} (false) or {@code show I} (true): node I's DNS records, in a {@link Builder#dns()} cluster. */
    public void dnsRecords(int i, boolean shown) {
        run("dns", shown ? "show" : "hide", Integer.toString(i));
    }

    /**
     * {@code ./cluster move I}: stopped node I takes a new address and DNS record; {@link #url} follows it. With
     * {@code staleDns} its records keep the old address until {@link #dnsRecords dnsRecords(i, true)}.
     */
    public void move(int i, boolean staleDns) {
        if (staleDns) {
            run("move", Integer.toString(i), "--stale-dns");
        } else {
            run("move", Integer.toString(i));
        }
        synchronized (urls) {
            urls.remove(i);
        }
    }

    /** {@code ./cluster pause I}: SIGSTOP; the process keeps its sockets but answers nothing. */
    public void pause(int i) {
        run("pause", Integer.toString(i));
    }

    /** {@code ./cluster resume I}: SIGCONT after {@link #pause}. */
    public void resume(int i) {
        run("resume", Integer.toString(i));
    }

    /**
     * {@code ./cluster lb start KIND}: {@code haproxy} or {@code nginx} in front of the nodes; answers its URL,
     * {@code http://127.0.0.1:<http base>}.
     */
    public URI startBalancer(String kind) {
        run("lb", "start", kind);
        return URI.create("http://127.0.0.1:" + env.get("RAFTSTORE_HTTP_BASE"));
    }

    /** {@code ./cluster lb stop}. */
    public void stopBalancer() {
        run("lb", "stop");
    }

    /** {@code ./cluster rolling-restart}: every node in turn, the leader last after handing over; answers the output. */
    public String rollingRestart() {
        return run("rolling-restart");
    }

    /** {@code ./cluster stop}: every node by SIGTERM, the leader first. */
    public void stop() {
        run("stop");
    }

    /** Nodes started so far, those added in join mode included. */
    public int size() {
        return nodes;
    }

    /** Node I's base URL, e.g. {@code http://127.0.0.1:9381}, as {@code ./cluster url I} prints it. */
    public URI url(int i) {
        synchronized (urls) {
            return urls.computeIfAbsent(i, n -> URI.create(run("url", Integer.toString(n)).strip()));
        }
    }

    /** Node I's HTTPS base URL, as {@code ./cluster url I --https} prints it. */
    public URI httpsUrl(int i) {
        return URI.create(run("url", Integer.toString(i), "--https").strip());
    }

    /** Node I's Redis-protocol endpoint, as {@code ./cluster url I --resp} prints it. */
    public InetSocketAddress resp(int i) {
        String hostPort = run("url", Integer.toString(i), "--resp").strip();
        int colon = hostPort.lastIndexOf(':');
        return InetSocketAddress.createUnresolved(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** The certificate of the cluster's CA (PEM), which every node's HTTPS certificate chains to. */
    public Path caCertificate() {
        return state.resolve("pki/ca.pem");
    }

    /** Node I's console log (its server's output), while the cluster exists. */
    public Path consoleLog(int i) {
        return state.resolve("n" + i).resolve("console.log");
    }

    /** The Raft (JGroups) address the script gives node I: its host and the JGroups base plus I. */
    public String raftAddress(int i) {
        return url(i).getHost() + ":" + (jgroupsBase + i);
    }

    /** {@code ./cluster status --json}: every node, down ones included. */
    public List<NodeStatus> status() {
        try (JsonReader reader = Json.createReader(new StringReader(run("status", "--json")))) {
            return reader.readArray().stream().map(JsonValue::asJsonObject).map(NodeStatus::of).toList();
        }
    }

    /** {@code ./cluster leader}: the node that leads, or empty when none does (the script says why). */
    public OptionalInt leader() {
        Result r = script("leader");
        return r.exit() == 0 ? OptionalInt.of(Integer.parseInt(r.output().strip())) : OptionalInt.empty();
    }

    /** Waits until a node leads and answers its number; fails with every node's status when none does in time. */
    public int awaitLeader(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        do {
            OptionalInt l = leader();
            if (l.isPresent()) {
                return l.getAsInt();
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("no leader within " + within + "\n" + describe());
    }

    /** Every node's status as the script reports it, for a failure message. */
    public String describe() {
        Result r = script("status", "--json");
        return r.output().strip();
    }

    /** The password of {@code admin}, which ./cluster generated into the cluster's credentials file. */
    public String adminPassword() {
        return credential("RAFTSTORE_ADMIN_PASSWORD");
    }

    /** The password of {@code viewer}, from the cluster's credentials file. */
    public String viewerPassword() {
        return credential("RAFTSTORE_VIEWER_PASSWORD");
    }

    /** The password of {@code app}, the key-value API's user (roles reader and writer), from the credentials file. */
    public String appPassword() {
        return credential("RAFTSTORE_APP_PASSWORD");
    }

    /** The read-only key-value user's password (user {@code reader}). */
    public String readerPassword() {
        return credential("RAFTSTORE_READER_PASSWORD");
    }

    /** The {@code Authorization} header of {@code app}: what every client of {@code /api/kv} sends. */
    public String appAuthorization() {
        return basicAuthorization("app", appPassword());
    }

    /** An {@code Authorization: Basic} header's value for a user and password. */
    public static String basicAuthorization(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private String credential(String key) {
        try {
            for (String line : Files.readAllLines(state.resolve("credentials"))) {
                if (line.startsWith(key + "=")) {
                    return line.substring(key.length() + 1);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("no credentials file: is the cluster started?", e);
        }
        throw new IllegalStateException("no " + key + " in " + state.resolve("credentials"));
    }

    /** {@code ./cluster args...}: answers its output; fails with that output when the script fails. */
    public String run(String... args) {
        Result r = script(args);
        if (r.exit() != 0) {
            throw new IllegalStateException("./cluster " + String.join(" ", args) + " failed (exit " + r.exit() + "): "
                    + r.output());
        }
        return r.output();
    }

    /** {@code ./cluster args...} that must fail: answers its output (the reason); fails when the script succeeds. */
    public String runRefused(String... args) {
        Result r = script(args);
        if (r.exit() == 0) {
            throw new IllegalStateException("./cluster " + String.join(" ", args) + " succeeded where it must refuse: "
                    + r.output());
        }
        return r.output();
    }

    private record Result(int exit, String output) {
    }

    private Result script(String... args) {
        String command = "./cluster " + String.join(" ", args);
        Path out = null;
        try {
            Files.createDirectories(state.getParent());
            out = Files.createTempFile(state.getParent(), "cluster-", ".out");
            List<String> line = new ArrayList<>(List.of(root.resolve("cluster").toString()));
            line.addAll(List.of(args));
            // Output to a file, not a pipe: nodes started in the background must not keep the call waiting.
            ProcessBuilder pb = new ProcessBuilder(line).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(env);
            long started = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(scriptTimeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within " + scriptTimeout);
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (!args[0].equals("status") && !args[0].equals("leader") && !args[0].equals("url")) {
                // How long each step took, so a slow test shows which step its time went to.
                System.out.printf("%s (%.1f s)%n%s%n", command, (System.nanoTime() - started) / 1e9, masked(text));
            }
            return new Result(p.exitValue(), text);
        } catch (IOException e) {
            throw new IllegalStateException(command + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(command + " interrupted", e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // a leftover temp file in target/ is harmless
                }
            }
        }
    }

    /** The output without the generated passwords (`start` prints the console logins). */
    private String masked(String text) {
        String masked = text;
        for (String key : List.of("RAFTSTORE_ADMIN_PASSWORD", "RAFTSTORE_VIEWER_PASSWORD", "RAFTSTORE_PEER_PASSWORD",
                "RAFTSTORE_APP_PASSWORD", "RAFTSTORE_READER_PASSWORD")) {
            if (Files.exists(state.resolve("credentials"))) {
                String password = credential(key);
                if (!password.isEmpty()) {
                    masked = masked.replace(password, "***");
                }
            }
        }
        return masked;
    }

    /** Node I's server log (Liberty's messages.log), where the audit lines go; it exists once the node started. */
    public Path messagesLog(int i) {
        return logDir(i).resolve("messages.log");
    }

    /** Node I's Liberty log folder. */
    private Path logDir(int i) {
        return state.resolve("n" + i).resolve("out/raftstore/logs");
    }

    /** Keeps every node's logs beside the state folder, then wipes the cluster. */
    @Override
    public void close() {
        close(null);
    }

    /**
     * As {@link #close()}, keeping the logs in {@code <state>-logs/<label>} (null: {@code <state>-logs}), so that
     * test classes sharing one state folder do not overwrite each other's logs.
     */
    public void close(String label) {
        keepLogs(label);
        wipeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(wipeOnExit);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // already shutting down (the hook runs the same wipe) or never added
        }
    }

    /**
     * Copies each node's console log and its messages logs to {@code <state>-logs[/label]}: the wipe deletes them,
     * failures need them. A restarted node's earlier messages logs ({@code messages_<time>.log}, as Liberty renames
     * them at a start) come too: a node restarted after a failure would otherwise hide what led to it.
     */
    public void keepLogs(String label) {
        Path all = state.resolveSibling(state.getFileName() + "-logs");
        Path logs = label == null ? all : all.resolve(label);
        for (int i = 1; i <= nodes; i++) {
            List<Path> kept = new ArrayList<>(List.of(state.resolve("n" + i).resolve("console.log")));
            Path logDir = logDir(i);
            if (Files.isDirectory(logDir)) {
                try (var files = Files.newDirectoryStream(logDir, "messages*.log")) {
                    files.forEach(kept::add);
                } catch (IOException e) {
                    System.err.println("could not list " + logDir + ": " + e);
                }
            }
            for (Path log : kept) {
                try {
                    if (Files.exists(log)) {
                        Files.createDirectories(logs);
                        Files.copy(log, logs.resolve("n" + i + "-" + log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    System.err.println("could not keep " + log + ": " + e);
                }
            }
        }
    }

    private void wipeQuietly() {
        Result r = script("wipe");
        if (r.exit() != 0) {
            System.err.println("wiping the test cluster in " + state + " failed: " + r.output());
        }
    }

    private static Optional<String> property(String name) {
        return Optional.ofNullable(System.getProperty(name)).filter(v -> !v.isBlank());
    }

    /** How a test's cluster is set up; {@link #build()} makes it, {@link LocalCluster#start(int)} starts it. */
    public static final class Builder {
        private Path root = Path.of(System.getProperty("raftstore.root", "..")).toAbsolutePath().normalize();
        private Path state;
        private final int httpBase;
        private final int jgroupsBase;
        private final Map<String, String> env = new LinkedHashMap<>();
        private boolean netns;
        private boolean dns;
        private boolean samples = true;
        private boolean ownDisks;
        private Duration scriptTimeout = Duration.ofMinutes(6);

        private Builder(String name, int httpBase, int jgroupsBase) {
            this.state = Path.of(System.getProperty("cluster.dir", "target/" + name)).toAbsolutePath();
            this.httpBase = Integer.getInteger("cluster.http.base", httpBase);
            this.jgroupsBase = Integer.getInteger("cluster.jgroups.base", jgroupsBase);
        }

        /** An environment variable for the script and so for every node, e.g. {@code RAFTSTORE_MAX_VALUE_BYTES}. */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** {@code ./cluster start --netns}: node I in its own network namespace (root needed). */
        public Builder netns() {
            this.netns = true;
            return this;
        }

        /**
         * {@code ./cluster start --netns --dns}: the members named by DNS names that a dnsmasq in the lab serves,
         * JGroups on one port for all (implies {@link #netns()}).
         */
        public Builder dns() {
            this.netns = true;
            this.dns = true;
            return this;
        }

        /** {@code ./cluster start --no-samples}: the production server alone, without the sample and the benchmark. */
        public Builder withoutSamples() {
            this.samples = false;
            return this;
        }

        /**
         * {@code ./cluster start --own-disks}: each node's data on a filesystem of its own, which
         * {@link LocalCluster#freezeDisk} can stall (root and loop devices needed).
         */
        public Builder ownDisks() {
            this.ownDisks = true;
            return this;
        }

        public LocalCluster build() {
            return new LocalCluster(this);
        }
    }
}
