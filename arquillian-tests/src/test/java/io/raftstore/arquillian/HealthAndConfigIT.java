package io.raftstore.arquillian;

import io.raftstore.api.StoreConnection;
import io.raftstore.api.StoreConnectionFactory;
import io.raftstore.api.StoreUnavailableException;
import io.raftstore.arquillian.app.ServerHttp;
import jakarta.annotation.Resource;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.MBeanException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MicroProfile Config and Health as the node uses them, checked inside the server: the node's settings
 * come from the server's environment, the health checks report it ready, and a bad setting keeps the node
 * from starting with the message docs/node.md promises, while applications get
 * {@link StoreUnavailableException} instead of a hang.
 */
@ExtendWith(ArquillianExtension.class)
@OneNodeSuite
class HealthAndConfigIT {

    private static final String BAD_KEY = "raftstore.election.ticks";

    @Deployment
    static WebArchive deployment() {
        return Deployments.application("health-config");
    }

    @Resource(lookup = "eis/raftstore")
    StoreConnectionFactory store;

    @Test
    void theNodesSettingsAreReadThroughMicroProfileConfig() {
        Config config = ConfigProvider.getConfig();
        assertEquals("n1", config.getValue("raftstore.node.id", String.class), "from the server's environment");
        assertEquals(Optional.of("off"), config.getOptionalValue("raftstore.transport.security", String.class));
    }

    @Test
    void healthReportsTheNodeStartedLiveAndReady() throws Exception {
        for (String probe : new String[] {"started", "live", "ready"}) {
            ServerHttp.Reply r = ServerHttp.get("health/" + probe);
            assertEquals(200, r.status(), probe + ": " + r.body());
            assertTrue(check(r.json(), "raftstore-" + probe).isPresent(), r.body());
            assertEquals("UP", check(r.json(), "raftstore-" + probe).get().getString("status"));
        }
    }

    @Test
    void aBadSettingStopsTheNodeWithTheDocumentedMessage() throws Exception {
        Path log = Path.of(System.getProperty("arquillian.server.dir"), "logs", "messages.log");
        long logBefore = Files.size(log);
        // A system property outranks the environment in MicroProfile Config; the node reads it at start.
        System.setProperty(BAD_KEY, "2");
        try {
            restartStore();
            String logged = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).substring((int) logBefore);
            assertTrue(logged.contains("RaftStore node NOT started: invalid setting " + BAD_KEY + ": 2 is outside"),
                    "messages.log since the restart:\n" + logged);
            try (StoreConnection c = store.getConnection()) {
                StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> c.put("never", "x"));
                assertFalse(e.mayHaveTakenEffect());
            }
        } finally {
            System.clearProperty(BAD_KEY);
            restartStore();
            awaitReady();
        }
    }

    /**
     * Single-key REST requests while the store's application restarts: they reach the node bean directly once it
     * has started, the container's proxy before (DirectNode). Meanwhile they are refused as the contract says
     * (503 with its JSON: the node is not running, retry), or not found while the web module is down (404,
     * Liberty's page), never a server error; afterwards the new node answers them, with what was written before.
     * The 503 window (the node stopped, the web module not yet) is timing: probed every few ms, 7 runs of 8 met
     * it on a 2-core machine (one of them in the full test run), and then an unmapped failure (Liberty's HTML 503)
     * failed the test.
     */
    @Test
    void keyRequestsDuringAnApplicationRestartAreRefusedCleanlyAndServedAfterIt() throws Exception {
        String key = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, rest("PUT", key, "before").status());
        AtomicBoolean stop = new AtomicBoolean();
        List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        Set<Integer> statuses = ConcurrentHashMap.newKeySet();
        Thread probe = new Thread(() -> {
            for (int i = 0; i < 50_000 && !stop.get(); i++) { // bounded: a few ms apart, a few minutes at most
                try {
                    ServerHttp.Reply r = rest("GET", key, null);
                    if (statuses.add(r.status())) {
                        System.out.println("first " + r.status() + " during the store's restart: " + r.body());
                    }
                    boolean contract503 = r.status() == 503 && r.body().startsWith("{")
                            && r.json().getString("error", "").equals("UNAVAILABLE");
                    if (r.status() != 200 && r.status() != 404 && !contract503) {
                        unexpected.add(r.status() + " " + r.body());
                    }
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    unexpected.add(e.toString());
                }
            }
        }, "restart-probe");
        probe.start();
        try {
            restartStore();
            awaitReady();
        } finally {
            stop.set(true);
            probe.join(60_000);
        }
        System.out.println("REST statuses during the store's restart: " + statuses);
        assertEquals(List.of(), unexpected, "answers during the restart besides 200, 404 and the contract's 503; seen "
                + statuses);
        assertTrue(statuses.size() > 1, "the probe saw the restart: " + statuses);
        ServerHttp.Reply after = rest("GET", key, null);
        assertEquals(200, after.status(), after.body());
        assertEquals("before", after.body(), "what was written before the restart");
        assertEquals(200, rest("PUT", key, "after").status());
        assertEquals("after", rest("GET", key, null).body());
    }

    /** A single-key REST request as the application's user. */
    private static ServerHttp.Reply rest(String method, String key, String body) throws Exception {
        return ServerHttp.send(method, ServerHttp.server().resolve("api/kv/" + key), body, "app",
                System.getProperty("arquillian.app.password"));
    }

    private static Optional<JsonObject> check(JsonObject health, String name) {
        return health.getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                .filter(c -> c.getString("name").equals(name)).findFirst();
    }

    /** Restarts the store's EAR (and so its node) as an operator would, through Liberty's application MBean. */
    private static void restartStore() throws Exception {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        ObjectName ear = new ObjectName("WebSphere:service=com.ibm.websphere.application.ApplicationMBean,name=raftstore");
        try {
            mbeans.invoke(ear, "restart", null, null);
        } catch (MBeanException e) {
            // A start that fails (the bad setting) is reported here too; the test reads why from the log.
            System.out.println("restart reported: " + e.getCause());
        }
    }

    private static void awaitReady() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        ServerHttp.Reply r;
        do {
            r = ServerHttp.get("health/ready");
            if (r.status() == 200 && check(r.json(), "raftstore-ready").isPresent()) {
                return;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the node was not ready again within 120 s: " + r.body());
    }
}
