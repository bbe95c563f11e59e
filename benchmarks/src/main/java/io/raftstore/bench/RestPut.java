package io.raftstore.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** PUTs keys through one node's REST API on 127.0.0.1, the way every REST harness here writes. */
final class RestPut {
    private final String base;
    // HTTP/1.1: with the default (HTTP/2, an h2c upgrade attempt) the same load measured about half.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** @param base a node's URL, such as http://127.0.0.1:9081; anything but loopback is refused */
    RestPut(String base) {
        if (!URI.create(base).getHost().startsWith("127.")) {
            throw new IllegalArgumentException("writes go to loopback only, not " + base);
        }
        this.base = base;
    }

    /** True when the write was acknowledged (200 or 201). */
    boolean put(String key, byte[] value) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/kv/" + key))
                .timeout(Duration.ofSeconds(10)).PUT(HttpRequest.BodyPublishers.ofByteArray(value)).build();
        int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        return status == 200 || status == 201;
    }
}
