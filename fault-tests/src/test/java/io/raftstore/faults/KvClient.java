package io.raftstore.faults;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The REST key-value API as a client outside the project sees it, reduced to what a history needs: did a
 * request take effect (yes, no, or unknown), and what did a read return. Follows the contract: a 503 or no
 * answer to a write means "may or may not take effect later"; 412 means the condition failed and nothing
 * was written; a read that fails has no effect.
 */
final class KvClient {

    /** What a request's answer says about its effect. */
    enum Outcome {
        /** It took effect (a write) or answered (a read). */
        OK,
        /** It certainly did not take effect: a condition failed (412), or a read failed. */
        FAILED,
        /** A write without a definite answer: it may take effect at any later time, or never. */
        UNKNOWN
    }

    /** A read: the value ({@code null} when absent) and its version, or a failed read. */
    record Read(Outcome outcome, String value, String version, int status) {
    }

    /** A write's outcome, its new version when it took effect, and the HTTP status (0: no answer). */
    record Write(Outcome outcome, String version, int status) {
    }

    private final HttpClient http;
    private final Duration timeout;
    private final String authorization;

    /**
     * @param timeout       how long one request may take before the client gives up on it
     * @param authorization the {@code Authorization} header sent with every request (a user with roles reader
     *                      and writer; see {@link NetnsCluster#kv})
     */
    KvClient(Duration timeout, String authorization) {
        this.timeout = timeout;
        this.authorization = authorization;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout).build();
    }

    Read get(String base, String key, String consistency) {
        HttpRequest r = request(base, key, "?consistency=" + consistency).GET().build();
        try {
            HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return switch (resp.statusCode()) {
                case 200 -> new Read(Outcome.OK, resp.body(), resp.headers().firstValue("ETag").orElse(null), 200);
                case 404 -> new Read(Outcome.OK, null, null, 404);
                default -> new Read(Outcome.FAILED, null, null, resp.statusCode());
            };
        } catch (IOException e) {
            return new Read(Outcome.FAILED, null, null, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Read(Outcome.FAILED, null, null, 0);
        }
    }

    /**
     * PUT, optionally conditional ({@code ifMatch} a version, or "*" for "only if absent") and with a client
     * session ({@code clientId} > 0), which makes a retry of the same sequence exactly-once.
     */
    Write put(String base, String key, String value, String ifMatch, long clientId, long sequence) {
        HttpRequest.Builder b = request(base, key, "").PUT(HttpRequest.BodyPublishers.ofString(value));
        return write(condition(b, ifMatch, clientId, sequence).build());
    }

    /** PUTs until it is acknowledged or {@code within} has passed (a retry without session: test set-up). */
    Write putUntilOk(String base, String key, String value, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Write w;
        while ((w = put(base, key, value, null, 0, 0)).outcome() != Outcome.OK && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return w;
    }

    Write delete(String base, String key, long clientId, long sequence) {
        return write(condition(request(base, key, "").DELETE(), null, clientId, sequence).build());
    }

    private static HttpRequest.Builder condition(HttpRequest.Builder b, String ifMatch, long clientId, long sequence) {
        if ("*".equals(ifMatch)) {
            b.header("If-None-Match", "*");
        } else if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        if (clientId > 0) {
            b.header("RaftStore-Client-Id", Long.toString(clientId)).header("RaftStore-Sequence", Long.toString(sequence));
        }
        return b;
    }

    private Write write(HttpRequest r) {
        try {
            HttpResponse<Void> resp = http.send(r, HttpResponse.BodyHandlers.discarding());
            int s = resp.statusCode();
            if (s == 200 || s == 201 || s == 204 || s == 404) { // 404: a delete of an absent key, no effect needed
                return new Write(Outcome.OK, resp.headers().firstValue("ETag").orElse(null), s);
            }
            if (s == 412) {
                return new Write(Outcome.FAILED, null, s);
            }
            return new Write(Outcome.UNKNOWN, null, s); // 503, or anything unexpected: assume nothing
        } catch (IOException e) {
            return new Write(Outcome.UNKNOWN, null, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Write(Outcome.UNKNOWN, null, 0);
        }
    }

    private HttpRequest.Builder request(String base, String key, String query) {
        return HttpRequest.newBuilder(URI.create(base + "/api/kv/" + URLEncoder.encode(key, StandardCharsets.UTF_8) + query))
                .timeout(timeout).header("Authorization", authorization);
    }
}
