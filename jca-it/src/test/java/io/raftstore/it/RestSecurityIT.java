package io.raftstore.it;

import io.raftstore.harness.LocalCluster;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.StringReader;
import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The REST API's logins and roles on a real Liberty server (issue 14): on every route that is not open, a
 * request without credentials, with a wrong password, or from a user without the route's role is refused
 * (401 with a Basic challenge, or 403, each with the contract's JSON error) and changes nothing; the right role
 * gets through; status, history and health stay open; failed logins, on the API and on the console's form, are
 * logged with who and from where; the console's audit list outlives a restart.
 *
 * <p>Users: {@code app} (reader and writer, the contract's), {@code reader} (reader only, given a password here),
 * {@code viewer} (the console's, no key-value role) and {@code admin} (cluster changes, no key-value role).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestSecurityIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String READER_PASSWORD = UUID.randomUUID().toString();
    private static final String ACTIONS = "/console/actions.xhtml";
    private static LocalCluster cluster;

    /** A route and the role it needs; {@code {id}} in the path is a learner the test adds first. */
    private record Route(String method, String path, String body, String role) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private record Reply(int status, String body, HttpResponse<String> response) {
    }

    /** Every route of the REST API that needs a login. */
    private static List<Route> routes(String key, String learner) {
        return List.of(new Route("GET", "/api/kv/" + key, null, "reader"),
                new Route("GET", "/api/kv?prefix=" + URLEncoder.encode(key, StandardCharsets.UTF_8), null, "reader"),
                new Route("PUT", "/api/kv/" + key, "intruder", "writer"),
                new Route("DELETE", "/api/kv/" + key, null, "writer"),
                new Route("POST", "/api/cluster/transfer", null, "admin"),
                new Route("POST", "/api/cluster/snapshot", null, "admin"),
                new Route("POST", "/api/cluster/members", "{\"id\":\"n8\",\"address\":\"127.0.0.1:19479\"}", "admin"),
                new Route("POST", "/api/cluster/members/" + learner + "/promote", null, "admin"),
                new Route("DELETE", "/api/cluster/members/" + learner, null, "admin"));
    }

    /** Users who lack each role: for reader routes a writer-less console user and the admin, and so on. */
    private static final Map<String, List<String>> LACKING = Map.of("reader", List.of("viewer", "admin"),
            "writer", List.of("reader", "viewer", "admin"), "admin", List.of("app", "reader", "viewer"));

    @BeforeAll
    static void start() {
        cluster = LocalCluster.builder("security-cluster", 9470, 19470).withoutSamples()
                .env("RAFTSTORE_READER_PASSWORD", READER_PASSWORD).build();
        cluster.start(1);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String password(String user) {
        return switch (user) {
            case "app" -> cluster.appPassword();
            case "reader" -> READER_PASSWORD;
            case "viewer" -> cluster.viewerPassword();
            case "admin" -> cluster.adminPassword();
            default -> throw new IllegalArgumentException(user);
        };
    }

    /** One request; {@code user} null sends no credentials, {@code password} null the user's own. */
    private static Reply send(String method, String path, String body, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(cluster.url(1).resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && body.startsWith("{")) {
            b.header("Content-Type", "application/json");
        }
        if (user != null) {
            b.header("Authorization", LocalCluster.basicAuthorization(user, password != null ? password : password(user)));
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r);
    }

    private static Reply as(String user, Route route) throws Exception {
        return send(route.method(), route.path(), route.body(), user, null);
    }

    private static JsonStructure json(String text) {
        try (JsonReader r = Json.createReader(new StringReader(text))) {
            return r.read();
        }
    }

    /** The contract's error body, with the code expected. */
    private static void assertError(Reply r, int status, String code, String what) {
        assertEquals(status, r.status(), what + ": " + r.body());
        assertTrue(r.response().headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                what + " answers JSON");
        JsonObject o = json(r.body()).asJsonObject();
        assertEquals(code, o.getString("error"), what);
        assertTrue(o.containsKey("message") && o.containsKey("leaderId"), what + ": " + o);
        if (status == 401) {
            assertTrue(r.response().headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm="),
                    what + " challenges for Basic credentials");
        }
    }

    /** What any refused request could have changed: the key, the membership, the log's start, leadership. */
    private static String state(String key) throws Exception {
        Reply value = send("GET", "/api/kv/" + key, null, "app", null);
        JsonObject status = json(send("GET", "/api/cluster/status", null, null, null).body()).asJsonObject();
        int history = json(send("GET", "/api/cluster/history", null, null, null).body()).asJsonArray().size();
        return value.status() + " " + value.body() + " " + value.response().headers().firstValue("ETag").orElse("-")
                + " members " + status.getJsonArray("members").stream().map(JsonValue::asJsonObject)
                        .map(m -> m.getString("id") + " " + m.getString("role")).toList()
                + " firstIndex " + status.get("firstIndex")
                + " leader " + status.get("leaderId") + " term " + status.get("term") + " history " + history;
    }

    @Test
    @Order(1)
    void everyRouteRefusesMissingWrongAndUnentitledCredentialsAndChangesNothing() throws Exception {
        String key = "secure/" + UUID.randomUUID();
        assertEquals(201, send("PUT", "/api/kv/" + key, "v1", "app", null).status());
        assertEquals(200, send("POST", "/api/cluster/members", "{\"id\":\"n7\",\"address\":\"127.0.0.1:19478\"}",
                "admin", null).status(), "a learner to promote and remove");
        String before = state(key);
        for (Route route : routes(key, "n7")) {
            assertError(as(null, route), 401, "UNAUTHORIZED", route + " without credentials");
            assertError(send(route.method(), route.path(), route.body(), "app", "wrong"), 401, "UNAUTHORIZED",
                    route + " with a wrong password");
            assertError(send(route.method(), route.path(), route.body(), "nobody", "x"), 401, "UNAUTHORIZED",
                    route + " as an unknown user");
            for (String user : LACKING.get(route.role())) {
                assertError(as(user, route), 403, "FORBIDDEN", route + " as " + user + ", who lacks " + route.role());
            }
        }
        assertEquals(before, state(key), "the refused requests changed nothing");
        assertTrue(before.contains("n7 LEARNER") && !before.contains("n8"), before);

        String log = Files.readString(cluster.messagesLog(1));
        assertTrue(log.contains("AUDIT login failed user=\"app\" from=127.0.0.1 request=\"PUT /api/kv/"),
                "failed logins are logged with who and from where");
        assertTrue(log.contains("AUDIT refused user=\"viewer\" from=127.0.0.1"), "refusals too");
        assertEquals(200, send("DELETE", "/api/cluster/members/n7", null, "admin", null).status());
    }

    @Test
    @Order(2)
    void theRightRoleGetsThrough() throws Exception {
        String key = "granted/" + UUID.randomUUID();
        List<Route> routes = routes(key, "n8");
        assertEquals(201, as("app", routes.get(2)).status(), "app writes");
        for (String reader : List.of("app", "reader")) {
            Reply got = as(reader, routes.get(0));
            assertEquals(200, got.status(), reader + " reads");
            assertEquals("intruder", got.body());
            assertEquals(1, json(as(reader, routes.get(1)).body()).asJsonArray().size(), reader + " scans");
        }
        assertEquals(204, as("app", routes.get(3)).status(), "app deletes");
        assertEquals(404, as("app", routes.get(0)).status(), "the key is gone");

        assertEquals(200, as("admin", routes.get(4)).status(), "admin asks for a transfer");
        assertTrue(json(as("admin", routes.get(5)).body()).asJsonObject().getBoolean("taken"), "admin snapshots");
        Reply added = as("admin", routes.get(6));
        assertEquals(200, added.status(), added.body());
        assertTrue(added.body().contains("\"n8\""), added.body());
        // The learner does not exist, so it never catches up: the node refuses the promotion (400), past the login.
        assertError(as("admin", routes.get(7)), 400, "REJECTED", "promoting a learner that has not caught up");
        Reply removed = as("admin", routes.get(8));
        assertEquals(200, removed.status(), removed.body());
        assertTrue(!removed.body().contains("\"n8\""), removed.body());
    }

    @Test
    @Order(3)
    void statusHistoryAndHealthStayOpen() throws Exception {
        for (String path : List.of("/api/cluster/status", "/api/cluster/history", "/health/ready", "/health/live",
                "/health/started")) {
            assertEquals(200, send("GET", path, null, null, null).status(), path + " without credentials");
        }
    }

    /** A browser's session after the console's login form was sent as admin with {@code password}. */
    private static HttpClient consoleLogin(String password) throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(10)).build();
        browser.send(HttpRequest.newBuilder(cluster.url(1).resolve(ACTIONS)).build(), HttpResponse.BodyHandlers.discarding());
        String form = "j_username=admin&j_password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        browser.send(HttpRequest.newBuilder(cluster.url(1).resolve("/j_security_check"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding());
        return browser;
    }

    /** The console's audit list, as the Actions page shows it to a logged-in admin. */
    private static String consoleAudit() throws Exception {
        HttpResponse<String> page = consoleLogin(cluster.adminPassword())
                .send(HttpRequest.newBuilder(cluster.url(1).resolve(ACTIONS)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("id=\"audit\""), "logged in, the Actions page with its audit list");
        return page.body();
    }

    @Test
    @Order(4)
    void aFailedConsoleLoginIsLoggedWithWhoAndFromWhere() throws Exception {
        consoleLogin("wrong");
        assertTrue(Files.readString(cluster.messagesLog(1))
                .contains("AUDIT login failed user=\"admin\" from=127.0.0.1 request=\"console login form\""));
    }

    @Test
    @Order(5)
    void theConsolesAuditListOutlivesARestart() throws Exception {
        assertEquals(200, send("POST", "/api/cluster/members", "{\"id\":\"n9\",\"address\":\"127.0.0.1:19480\"}",
                "admin", null).status());
        assertEquals(200, send("DELETE", "/api/cluster/members/n9", null, "admin", null).status());
        List<String> entries = List.of("REST add n9 at 127.0.0.1:19480 as a learner", "REST remove n9",
                "<td class=\"mono\">127.0.0.1</td>");
        String before = consoleAudit();
        assertTrue(entries.stream().allMatch(before::contains), "who, what and from where: " + before);
        cluster.stop();
        cluster.start(1);
        String after = consoleAudit();
        assertEquals(List.of(), entries.stream().filter(e -> !after.contains(e)).toList(),
                "audit entries lost in the restart");
    }
}
