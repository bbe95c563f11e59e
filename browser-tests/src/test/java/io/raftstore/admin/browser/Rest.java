package io.raftstore.admin.browser;

import io.raftstore.harness.LocalCluster;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The nodes' REST API beside the browser: what a test checks behind the console's back. */
final class Rest {

    private final LocalCluster cluster;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Rest(LocalCluster cluster) {
        this.cluster = cluster;
    }

    /** GET as {@code app} (a reader; open routes ignore it): the body of a 200, null otherwise (or no answer). */
    String get(int node, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(cluster.url(node).resolve(path))
                    .header("Authorization", cluster.appAuthorization())
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Every member node {@code node} lists in its status, by id, with its Raft address. */
    Map<String, String> members(int node) {
        String status = get(node, "/api/cluster/status");
        if (status == null) {
            throw new AssertionError("n" + node + " does not answer its status");
        }
        Map<String, String> members = new LinkedHashMap<>();
        try (JsonReader reader = Json.createReader(new StringReader(status))) {
            for (JsonValue v : reader.readObject().getJsonArray("members")) {
                JsonObject m = v.asJsonObject();
                members.put(m.getString("id"), m.getString("address"));
            }
        }
        return members;
    }

    /** Sends a request and answers its status code; {@code user} null sends no credentials. */
    int send(int node, String method, String path, String body, String user, String password)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(cluster.url(node).resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            b.header("Authorization", LocalCluster.basicAuthorization(user, password));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
