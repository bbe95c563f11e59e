package io.raftstore.arquillian;

import io.raftstore.api.StoreConnection;
import io.raftstore.api.StoreConnectionFactory;
import io.raftstore.api.Versioned;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.StoreGatewayRegistry;
import io.raftstore.arquillian.app.ServerHttp;
import jakarta.annotation.Resource;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's way out for a prepared transaction whose transaction manager never comes back
 * ({@code /api/cluster/transactions}, admin only): it is listed with the keys it holds, and committing it
 * writes them while rolling it back releases them unwritten. The transaction is prepared through the SPI,
 * as an XA resource of another server would have done before that server was lost.
 */
@ExtendWith(ArquillianExtension.class)
@OneNodeSuite
class PreparedTransactionsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The test server's admin (src/test/liberty/server.env). */
    private static final String ADMIN = "Basic " + Base64.getEncoder()
            .encodeToString("admin:arquillian-admin".getBytes(StandardCharsets.UTF_8));

    @Deployment
    static WebArchive deployment() {
        return Deployments.application("prepared");
    }

    @Resource(lookup = "eis/raftstore")
    StoreConnectionFactory store;

    private static String abandoned(String key) {
        String id = "lost-manager-" + UUID.randomUUID();
        StoreGatewayRegistry.current().prepare(id, List.of(), List.of(new Operation.Put(key, "decided".getBytes(
                StandardCharsets.UTF_8))));
        return id;
    }

    private static ServerHttp.Reply call(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(ServerHttp.server().resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        HttpResponse<String> response = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
        return new ServerHttp.Reply(response.statusCode(), response.body());
    }

    private static JsonObject listed(String id) throws Exception {
        ServerHttp.Reply r = call("GET", "api/cluster/transactions", ADMIN);
        assertEquals(200, r.status(), r.body());
        JsonArray all;
        try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
            all = reader.readArray();
        }
        for (JsonValue v : all) {
            if (v.asJsonObject().getString("id").equals(id)) {
                return v.asJsonObject();
            }
        }
        return null;
    }

    private Versioned read(String key) {
        try (StoreConnection c = store.getConnection()) {
            return c.get(key).orElse(null);
        }
    }

    @Test
    void anAdminListsAndCommitsAnAbandonedPreparedTransaction() throws Exception {
        String key = "ops-" + UUID.randomUUID() + "/k";
        String id = abandoned(key);
        assertEquals(401, call("GET", "api/cluster/transactions", null).status(), "the list shows keys: login first");
        JsonObject t = listed(id);
        assertNotNull(t, "the prepared transaction is listed");
        assertEquals(List.of(key), t.getJsonArray("keys").getValuesAs(JsonString::getString));
        assertTrue(t.getJsonNumber("preparedAt").longValue() > 0);
        assertNull(read(key), "prepared, not written");

        ServerHttp.Reply committed = call("POST", "api/cluster/transactions/" + id + "/commit", ADMIN);
        assertEquals(200, committed.status(), committed.body());
        assertEquals("COMMITTED", committed.json().getString("outcome"));
        assertEquals("decided", read(key).asString());
        assertNull(listed(id));
        ServerHttp.Reply again = call("POST", "api/cluster/transactions/" + id + "/commit", ADMIN);
        assertEquals(404, again.status(), again.body());
    }

    @Test
    void anAdminRollsBackAnAbandonedPreparedTransactionReleasingItsKeys() throws Exception {
        String key = "ops-" + UUID.randomUUID() + "/k";
        String id = abandoned(key);
        ServerHttp.Reply rolledBack = call("POST", "api/cluster/transactions/" + id + "/rollback", ADMIN);
        assertEquals(200, rolledBack.status(), rolledBack.body());
        assertEquals("ROLLED_BACK", rolledBack.json().getString("outcome"));
        assertNull(read(key), "nothing was written");
        try (StoreConnection c = store.getConnection()) {
            c.put(key, "free again"); // a held key would fail, after retrying for the request timeout
        }
    }
}
