package io.raftstore.web.service.cluster;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * Calls other nodes' REST API with short timeouts. Every call returns a future that never fails: a dead,
 * paused or slow node becomes an "unreachable" answer, so one bad node never stalls the console.
 */
public final class PeerClient {

    private final HttpClient http;
    /** The error of a node that accepted the connection, or let it hang, but did not answer: hung, paused, cut off. */
    public static final String NO_ANSWER = "no answer in time";

    private final Duration timeout;

    /** @param executor runs the client's callbacks; the container's managed executor inside Liberty */
    public PeerClient(Executor executor, int timeoutMillis) {
        this.timeout = Duration.ofMillis(timeoutMillis);
        this.http = HttpClient.newBuilder().executor(executor).connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** GET {@code /api/cluster/status} of one node. */
    public CompletableFuture<NodeReport> status(String nodeId, URI base) {
        return get(base.resolve("/api/cluster/status"), null)
                .thenApply(body -> parseStatus(nodeId, base, body))
                .exceptionally(e -> NodeReport.unreachable(nodeId, base, describe(e)));
    }

    /** GET {@code /api/cluster/history} of one node as raw JSON objects; empty when it does not answer. */
    public CompletableFuture<Optional<List<JsonObject>>> history(URI base, int limit) {
        return array(get(base.resolve("/api/cluster/history?limit=" + limit), null));
    }

    /** GET {@code /api/cluster/reachability} of one node as raw JSON objects; empty when it does not answer. */
    public CompletableFuture<Optional<List<JsonObject>>> reachability(URI base, int limit) {
        return array(get(base.resolve("/api/cluster/reachability?limit=" + limit), null));
    }

    /**
     * GET {@code /api/cluster/audit} of one node, as {@code user} (an admin route); empty when it does not answer
     * or refuses.
     */
    public CompletableFuture<Optional<List<JsonObject>>> audit(URI base, int limit, String user, String password) {
        return array(get(base.resolve("/api/cluster/audit?limit=" + limit), basic(user, password)));
    }

    private static CompletableFuture<Optional<List<JsonObject>>> array(CompletableFuture<String> body) {
        return body.thenApply(text -> {
            try (JsonReader r = Json.createReader(new StringReader(text))) {
                return Optional.of(r.readArray().getValuesAs(JsonObject.class));
            }
        }).exceptionally(e -> Optional.empty());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** POST with HTTP Basic credentials; answers the status code and body, or throws on no answer. */
    public HttpResponse<String> postAs(URI url, String user, String password) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5))
                .header("Authorization", basic(user, password)).POST(HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** @param authorization the Authorization header, or null for none */
    private CompletableFuture<String> get(URI url, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpRequest request = b.GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode());
            }
            return response.body();
        });
    }

    static NodeReport parseStatus(String nodeId, URI base, String body) {
        JsonObject o;
        try (JsonReader r = Json.createReader(new StringReader(body))) {
            o = r.readObject();
        }
        List<NodeReport.MemberReport> members = new ArrayList<>();
        JsonArray list = o.getJsonArray("members");
        if (list != null) {
            for (JsonObject m : list.getValuesAs(JsonObject.class)) {
                members.add(new NodeReport.MemberReport(m.getString("id"), m.getString("address", null),
                        m.getString("role", null), m.getBoolean("voter", true), m.getBoolean("reachable", false),
                        number(m, "matchIndex"), number(m, "lag"), number(m, "lastContactMillis")));
            }
        }
        return new NodeReport(o.getString("nodeId", nodeId), base, null, o.getString("role", "UNKNOWN"),
                o.getJsonNumber("term").longValue(), o.isNull("leaderId") ? null : o.getString("leaderId"),
                o.getJsonNumber("commitIndex").longValue(), o.getJsonNumber("lastApplied").longValue(),
                o.getBoolean("ready", false), members);
    }

    private static Long number(JsonObject o, String name) {
        JsonValue v = o.get(name);
        return v instanceof JsonNumber n ? n.longValue() : null;
    }

    private static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && (cause instanceof CompletionException
                || cause instanceof ExecutionException)) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpTimeoutException) {
            return NO_ANSWER;
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
