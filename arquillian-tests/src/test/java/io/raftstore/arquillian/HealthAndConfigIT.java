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
import java.util.Optional;
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
