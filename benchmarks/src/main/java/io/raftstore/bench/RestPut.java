package io.raftstore.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * PUTs keys through one node's REST API, the way every REST harness here writes: on loopback, or on the
 * test network of {@code ./cluster start --netns} (198.18.0.0/15, never routed off the machine). It logs in
 * as {@code app} with the password in the environment variable {@value #PASSWORD}, which the benchmark
 * scripts take from the cluster's credentials file.
 */
final class RestPut {
    static final String PASSWORD = "RAFTSTORE_APP_PASSWORD";

    private final String base;
    private final Duration timeout;
    private final String authorization;
    // HTTP/1.1: with the default (HTTP/2, an h2c upgrade attempt) the same load measured about half.
    private final HttpClient http;

    /** @param base a node's URL, such as http://127.0.0.1:9081; anything but loopback or 198.18/15 is refused */
    RestPut(String base) {
        this(base, Duration.ofSeconds(10));
    }

    /** @param timeout how long one PUT may take before it counts as unanswered */
    RestPut(String base, Duration timeout) {
        String host = URI.create(base).getHost();
        if (!host.startsWith("127.") && !host.startsWith("198.18.") && !host.startsWith("198.19.")) {
            throw new IllegalArgumentException("writes go to loopback or 198.18.0.0/15 only, not " + base);
        }
        String password = System.getenv(PASSWORD);
        if (password == null || password.isEmpty()) {
            throw new IllegalStateException(PASSWORD + " is not set: the key-value API needs a login; run"
                    + " `set -a; source .cluster/credentials; set +a` first");
        }
        this.base = base;
        this.timeout = timeout;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(("app:" + password)
                .getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout.compareTo(Duration.ofSeconds(5)) < 0 ? timeout : Duration.ofSeconds(5)).build();
    }

    /** True when the write was acknowledged (200 or 201). */
    boolean put(String key, byte[] value) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/kv/" + key))
                .timeout(timeout).header("Authorization", authorization).PUT(HttpRequest.BodyPublishers.ofByteArray(value)).build();
        int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        return status == 200 || status == 201;
    }
}
