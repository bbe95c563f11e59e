package io.raftstore.it;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HTTP calls to one node: the sample application's API and the store's own REST API. */
final class SampleClient {

    record Reply(int status, String body, String etag) {
    }

    /** A key's value and version as one node's REST scan returned it. */
    record Entry(String value, long version) {
    }

    private static final Pattern SCAN_ENTRY =
            Pattern.compile("\\{\"key\":\"([^\"]*)\",\"value\":\"([^\"]*)\",\"version\":(\\d+)\\}");

    private final HttpClient http;
    private final LibertyNode node;

    SampleClient(HttpClient http, LibertyNode node) {
        this.http = http;
        this.node = node;
    }

    Reply send(String method, String path, String body) throws Exception {
        // Generous: the machine may be shared and loaded; a hung server still fails the test.
        HttpRequest.Builder b = HttpRequest.newBuilder(node.uri(path)).timeout(Duration.ofSeconds(120));
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
        Map<String, Long> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\"([A-Za-z0-9_-]+)\":(-?\\d+)").matcher(r.body().replaceFirst(",\"total\".*", ""));
        while (m.find()) {
            out.put(m.group(1), Long.parseLong(m.group(2)));
        }
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
        Map<String, Entry> out = new LinkedHashMap<>();
        Matcher m = SCAN_ENTRY.matcher(r.body());
        while (m.find()) {
            String value = new String(Base64.getDecoder().decode(m.group(2)), java.nio.charset.StandardCharsets.UTF_8);
            out.put(m.group(1), new Entry(value, Long.parseLong(m.group(3))));
        }
        return out;
    }
}
