package io.raftstore.arquillian.member;

import io.raftstore.arquillian.app.ServerHttp;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The three-node cluster this server is n3 of, seen from inside the server: n1 and n2 run under the repository's
 * {@code ./cluster} (arquillian-tests/pom.xml starts them), this server joined in join mode. Where they are comes
 * from the server's JVM options (src/test/liberty-member/jvm.options). Every wait is bounded.
 */
final class MemberCluster {

    static final String SELF = "n3";
    private static final Duration WAIT = Duration.ofSeconds(120);

    private MemberCluster() {
    }

    static URI node(int i) {
        return URI.create("http://127.0.0.1:" + (Integer.getInteger("member.http.base") + i) + "/");
    }

    static int number(String nodeId) {
        return Integer.parseInt(nodeId.substring(1));
    }

    static JsonObject status(int i) throws Exception {
        ServerHttp.Reply r = ServerHttp.send("GET", node(i).resolve("api/cluster/status"), null, null, null);
        if (r.status() != 200) {
            throw new IllegalStateException("n" + i + " status: " + r.status() + " " + r.body());
        }
        return r.json();
    }

    /**
     * The leader, once there is one, as the first node that knows it says: this server knows none before it is
     * added, and a killed node answers nothing.
     */
    static String leader() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = 1; i <= 3; i++) {
                Optional<String> leader = leaderSeenBy(i);
                if (leader.isPresent()) {
                    return leader.get();
                }
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError("no leader within " + WAIT + "; n3 says " + status(3));
    }

    private static Optional<String> leaderSeenBy(int i) {
        try {
            JsonObject s = status(i);
            return s.isNull("leaderId") ? Optional.empty() : Optional.of(s.getString("leaderId"));
        } catch (Exception e) {
            return Optional.empty(); // down (killed, restarting): another node answers
        }
    }

    /**
     * Makes this server a voting member, as an operator would: added as a learner through the leader's REST API,
     * promoted once caught up, then ready. Does nothing when it already is one (the tests share the cluster).
     */
    static void ensureVoter() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        if (!isMember()) {
            String body = Json.createObjectBuilder().add("id", SELF)
                    .add("address", "127.0.0.1:" + (Integer.getInteger("member.jgroups.base") + 3))
                    .add("httpUrl", "http://127.0.0.1:" + (Integer.getInteger("member.http.base") + 3)).build().toString();
            ServerHttp.Reply added = admin("POST", number(leader()), "api/cluster/members", body);
            if (added.status() / 100 != 2) {
                throw new AssertionError("adding n3: " + added.status() + " " + added.body());
            }
        }
        while (!isVoter()) {
            ServerHttp.Reply promoted = admin("POST", number(leader()), "api/cluster/members/" + SELF + "/promote", null);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("n3 not promoted within " + WAIT + ": " + promoted.status() + " " + promoted.body());
            }
            TimeUnit.MILLISECONDS.sleep(500); // a learner that has not caught up is refused; it catches up meanwhile
        }
        while (ServerHttp.send("GET", node(3).resolve("health/ready"), null, null, null).status() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("n3 a voter but not ready within " + WAIT);
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private static Optional<JsonObject> self() throws Exception {
        return status(number(leader())).getJsonArray("members").stream().map(JsonValue::asJsonObject)
                .filter(m -> m.getString("id").equals(SELF)).findFirst();
    }

    private static boolean isMember() throws Exception {
        return self().isPresent();
    }

    private static boolean isVoter() throws Exception {
        return self().map(m -> m.getBoolean("voter")).orElse(false);
    }

    /** Moves leadership to n1 when this server leads: the failover tests kill the leader, never this server. */
    static void leaderNotSelf() throws Exception {
        if (!leader().equals(SELF)) {
            return;
        }
        ServerHttp.Reply r = admin("POST", 3, "api/cluster/transfer?target=n1", null);
        if (r.status() != 200) {
            throw new AssertionError("transfer to n1: " + r.status() + " " + r.body());
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (leader().equals(SELF)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("n3 still leads " + WAIT + " after the transfer");
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /**
     * A linearizable read through node i's REST API, as the application's user; a node that knows no leader yet
     * (503: just restarted, or during an election) is asked again until {@link #WAIT} has passed.
     */
    static Optional<String> read(int i, String key) throws Exception {
        URI uri = node(i).resolve("api/kv/" + key + "?consistency=linearizable");
        long deadline = System.nanoTime() + WAIT.toNanos();
        ServerHttp.Reply r = ServerHttp.send("GET", uri, null, "app", System.getProperty("member.app.password"));
        while (r.status() == 503 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
            r = ServerHttp.send("GET", uri, null, "app", System.getProperty("member.app.password"));
        }
        if (r.status() == 404) {
            return Optional.empty();
        }
        if (r.status() != 200) {
            throw new AssertionError("GET " + key + " on n" + i + ": " + r.status() + " " + r.body());
        }
        return Optional.of(r.body());
    }

    private static ServerHttp.Reply admin(String method, int i, String path, String body) throws Exception {
        return ServerHttp.send(method, node(i).resolve(path), body, "admin", System.getProperty("member.admin.password"));
    }

    /** {@code ./cluster ARGS} on n1 and n2, as the build started them; its output goes to this server's log. */
    static void cluster(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("member.cluster.root"), "cluster").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        // A clean environment: this server's own (its RAFTSTORE_* settings, Liberty's WLP_* and log directories)
        // must not leak into the nodes ./cluster starts.
        Map<String, String> env = pb.environment();
        Map<String, String> inherited = Map.copyOf(env);
        env.clear();
        for (String keep : List.of("PATH", "HOME", "JAVA_HOME", "LANG")) {
            Optional.ofNullable(inherited.get(keep)).ifPresent(v -> env.put(keep, v));
        }
        env.put("RAFTSTORE_CLUSTER_DIR", System.getProperty("member.cluster.dir"));
        env.put("RAFTSTORE_SERVER_DIR", System.getProperty("member.cluster.server"));
        env.put("RAFTSTORE_HTTP_BASE", System.getProperty("member.http.base"));
        env.put("RAFTSTORE_JGROUPS_BASE", System.getProperty("member.jgroups.base"));
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("./cluster " + String.join(" ", args) + " did not finish within 300 s");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("./cluster " + String.join(" ", args) + " exited with " + p.exitValue());
        }
    }
}
