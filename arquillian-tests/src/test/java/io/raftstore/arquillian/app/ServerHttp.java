package io.raftstore.arquillian.app;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Plain HTTP to the test server, from the client side or from inside it (deployed with the archives); JSON-P. */
public final class ServerHttp {

    public record Reply(int status, String body) {
        public JsonObject json() {
            try (JsonReader r = Json.createReader(new StringReader(body))) {
                return r.readObject();
            }
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServerHttp() {
    }

    public static Reply get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public static Reply put(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The test server's base URL: its HTTP port from the build (a system property in both JVMs), loopback. */
    public static URI server() {
        return URI.create("http://127.0.0.1:" + Integer.getInteger("arquillian.http.port", 9470) + "/");
    }

    private static URI uri(String path) {
        return server().resolve(path);
    }

    /**
     * Any method to any node of the local cluster (absolute URI), with HTTP Basic credentials when a user is
     * given; the body is sent as is (JSON for the cluster API).
     */
    public static Reply send(String method, URI uri, String body, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (user != null) {
            String pair = user + ":" + password;
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        return send(request);
    }

    private static Reply send(HttpRequest.Builder request) throws Exception {
        // Generous: the machine may be shared and loaded; a hung server still fails the test.
        HttpResponse<String> r = HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }
}
