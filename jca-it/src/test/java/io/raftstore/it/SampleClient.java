package io.raftstore.it;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** HTTP calls to one node: the sample application's API and the store's own REST API. */
final class SampleClient {

    record Reply(int status, String body, String etag) {
    }

    /** A key's value and version as one node's REST scan returned it. */
    record Entry(String value, long version) {
    }

    private final HttpClient http;
    private final URI node;
    private final String authorization;

    /**
     * Calls to the node at {@code node}, its base URL (e.g. {@code http://127.0.0.1:9381}), each with the
     * {@code Authorization} header given: the store's API needs a login (the sample's own API ignores it).
     */
    SampleClient(HttpClient http, URI node, String authorization) {
        this.http = http;
        this.node = node;
        this.authorization = authorization;
    }

    Reply send(String method, String path, String body) throws Exception {
        // Generous: the machine may be shared and loaded; a hung server still fails the test.
        HttpRequest.Builder b = HttpRequest.newBuilder(node.resolve(path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", authorization);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "text/plain");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r.headers().firstValue("ETag").orElse(null));
    }

    Reply open(String account, long balance) throws Exception {
        return send("PUT", "/accounts/api/accounts/" + account + "?balance=" + balance, null);
    }

    Reply transfer(String from, String to, long amount, String extra) throws Exception {
        return send("POST", "/accounts/api/transfers?from=" + from + "&to=" + to + "&amount=" + amount + extra, null);
    }

    /** Every balance, as the sample application reports them (one scan through the adapter). */
    Map<String, Long> balances() throws Exception {
        Reply r = send("GET", "/accounts/api/accounts", null);
        if (r.status() != 200) {
            throw new AssertionError("balances: " + r);
        }
        // {"accounts": {name: balance, ...}, "total": sum}
        Map<String, Long> out = new LinkedHashMap<>();
        read(r.body()).asJsonObject().getJsonObject("accounts")
                .forEach((name, balance) -> out.put(name, ((JsonNumber) balance).longValueExact()));
        return out;
    }

    /** The key's version, read through the store's REST API on this node. */
    String etag(String key) throws Exception {
        Reply r = send("GET", "/api/kv/" + key, null);
        if (r.status() != 200) {
            throw new AssertionError("GET " + key + ": " + r);
        }
        return r.etag();
    }

    /** One node's view of every key under the prefix, from ONE scan (one state of that node). */
    Map<String, Entry> scan(String prefix, String consistency) throws Exception {
        Reply r = send("GET", "/api/kv?prefix=" + prefix + "&limit=100&consistency=" + consistency, null);
        if (r.status() != 200) {
            throw new AssertionError("scan " + prefix + ": " + r);
        }
        // [{"key": K, "value": base64, "version": N}, ...]
        Map<String, Entry> out = new LinkedHashMap<>();
        for (JsonValue v : read(r.body()).asJsonArray()) {
            JsonObject e = v.asJsonObject();
            String value = new String(Base64.getDecoder().decode(e.getString("value")), StandardCharsets.UTF_8);
            out.put(e.getString("key"), new Entry(value, e.getJsonNumber("version").longValueExact()));
        }
        return out;
    }

    private static JsonStructure read(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.read();
        }
    }
}
