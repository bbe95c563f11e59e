package io.raftstore.arquillian;

import io.raftstore.arquillian.app.ServerHttp;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The node is the server's, not an application's: the store's {@code @Singleton @Startup} bean runs in its
 * own EAR, every application deployed beside it reaches the same node, and deploying, undeploying or
 * restarting an application leaves the node running (a restarted one-node cluster would elect itself again,
 * in a higher term). Driven from outside the server, as an operator redeploys.
 */
@ExtendWith(ArquillianExtension.class)
@OneNodeSuite
@RunAsClient
class NodeLifecycleIT {

    private static final String SECOND = "second-app";

    @Deployment(name = "first", testable = false)
    static WebArchive first() {
        return Deployments.application("first-app");
    }

    @Deployment(name = SECOND, managed = false, testable = false)
    static WebArchive second() {
        return Deployments.application(SECOND);
    }

    @ArquillianResource
    Deployer deployer;

    private static JsonObject status() throws Exception {
        ServerHttp.Reply r = ServerHttp.get("api/cluster/status");
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    @Test
    void applicationsComeAndGoAndTheNodeStays() throws Exception {
        JsonObject before = status();
        String key = "lifecycle-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(204, ServerHttp.put("first-app/probe?key=" + key, "from the first application").status());

        deployer.deploy(SECOND);
        try {
            ServerHttp.Reply seen = ServerHttp.get(SECOND + "/probe?key=" + key);
            assertEquals(200, seen.status(), seen.body());
            assertEquals("from the first application", seen.body(), "a second deployment sees the same node");

            deployer.undeploy(SECOND);
            deployer.deploy(SECOND);
            assertEquals("from the first application", ServerHttp.get(SECOND + "/probe?key=" + key).body());
        } finally {
            deployer.undeploy(SECOND);
        }

        JsonObject after = status();
        assertEquals(before.getString("nodeId"), after.getString("nodeId"));
        assertEquals(before.getJsonNumber("term").longValue(), after.getJsonNumber("term").longValue(),
                "the node kept its term: it never restarted while applications came and went");
        assertEquals("LEADER", after.getString("role"));
        assertEquals("from the first application", ServerHttp.get("first-app/probe?key=" + key).body());
    }
}
