package io.raftstore.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sample application, deployed on its own next to the store, gets {@code eis/raftstore} injected and
 * uses it in container-managed transactions; checked over HTTP against a real Liberty server. Each test
 * uses accounts of its own, so tests do not depend on each other's order.
 */
class SampleAccountsIT {

    private static final int MAX_VALUE_BYTES = 2048;

    private static LibertyNode node;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startServer() throws Exception {
        Path wlp = Path.of(System.getProperty("raftstore.wlp.dir", "../liberty-config/target/liberty/wlp"));
        Path dir = Path.of(System.getProperty("raftstore.it.dir", "target/it-server"), UUID.randomUUID().toString());
        node = LibertyNode.start(wlp, dir, Map.of("RAFTSTORE_MAX_VALUE_BYTES", Integer.toString(MAX_VALUE_BYTES)));
        node.awaitReady(Duration.ofSeconds(240), HTTP);
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (node != null) {
            node.close();
        }
    }

    private record Reply(int status, String body, String etag) {
    }

    private static Reply send(String method, String path, String body) throws Exception {
        // Generous: the machine may be shared and loaded; a hung server still fails the test.
        HttpRequest.Builder b = HttpRequest.newBuilder(node.uri(path)).timeout(Duration.ofSeconds(120));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "text/plain");
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r.headers().firstValue("ETag").orElse(null));
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void open(String account, long balance) throws Exception {
        Reply r = send("PUT", "/accounts/api/accounts/" + account + "?balance=" + balance, null);
        assertEquals(201, r.status(), r.body());
    }

    private static Reply transfer(String from, String to, long amount, String extra) throws Exception {
        return send("POST", "/accounts/api/transfers?from=" + from + "&to=" + to + "&amount=" + amount + extra, null);
    }

    private static long balance(String account) throws Exception {
        Reply r = send("GET", "/accounts/api/accounts", null);
        assertEquals(200, r.status(), r.body());
        Matcher m = Pattern.compile("\"" + Pattern.quote(account) + "\":(-?\\d+)").matcher(r.body());
        assertTrue(m.find(), account + " missing in " + r.body());
        return Long.parseLong(m.group(1));
    }

    /** The key's version, read through the store's own REST API (not through the adapter). */
    private static String version(String key) throws Exception {
        Reply r = send("GET", "/api/kv/" + key, null);
        assertEquals(200, r.status(), r.body());
        return r.etag();
    }

    @Test
    void injectedStoreCommitsATransferAsOneBatch() throws Exception {
        String a = unique("alice");
        String b = unique("bob");
        open(a, 100);
        open(b, 5);
        Reply r = transfer(a, b, 30, "");
        assertEquals(200, r.status(), r.body());
        assertEquals(70, balance(a));
        assertEquals(35, balance(b));
        assertEquals(version("accounts/" + a), version("accounts/" + b), "both balances written at one log index");
    }

    @Test
    void rolledBackTransactionLeavesNothing() throws Exception {
        String a = unique("carol");
        String b = unique("dave");
        open(a, 50);
        open(b, 0);
        String before = version("accounts/" + a);
        Reply r = transfer(a, b, 20, "&fail=true");
        assertEquals(500, r.status(), r.body());
        assertTrue(r.body().contains("ROLLED_BACK"), r.body());
        assertEquals(50, balance(a));
        assertEquals(0, balance(b));
        assertEquals(before, version("accounts/" + a));
        Reply overdraft = transfer(a, b, 51, "");
        assertEquals(422, overdraft.status(), overdraft.body());
        assertEquals(404, transfer(a, unique("nobody"), 1, "").status());
    }

    @Test
    void twoTransfersOfOneAccountAtOnceOneCommitsTheOtherConflicts() throws Exception {
        String a = unique("erin");
        String b = unique("frank");
        String c = unique("grace");
        open(a, 100);
        open(b, 0);
        open(c, 0);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // Both read erin's balance during their pause, before either commits: the second commit must fail.
            Future<Reply> first = pool.submit(() -> transfer(a, b, 60, "&pauseMillis=1500"));
            Future<Reply> second = pool.submit(() -> transfer(a, c, 60, "&pauseMillis=1500"));
            List<Reply> replies = List.of(first.get(), second.get());
            List<Integer> statuses = replies.stream().map(Reply::status).sorted().toList();
            assertEquals(List.of(200, 409), statuses, replies.toString());
            Reply conflict = replies.stream().filter(r -> r.status() == 409).findFirst().orElseThrow();
            assertTrue(conflict.body().contains("transaction conflict on key 'accounts/" + a + "'"), conflict.body());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(40, balance(a), "no lost update: only one 60 left the account");
        assertEquals(60, balance(b) + balance(c));
    }

    @Test
    void concurrentTransfersPreserveTheTotal() throws Exception {
        List<String> accounts = List.of(unique("h"), unique("i"), unique("j"));
        for (String account : accounts) {
            open(account, 1000);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> calls = new ArrayList<>();
        for (int n = 0; n < 40; n++) {
            String from = accounts.get(n % 3);
            String to = accounts.get((n + 1 + (n / 3) % 2) % 3); // one or two places on: never `from`
            calls.add(pool.submit(() -> transfer(from, to, 7, "").status()));
        }
        int committed = 0;
        for (Future<Integer> f : calls) {
            int status = f.get();
            assertTrue(status == 200 || status == 409, "unexpected status " + status);
            committed += status == 200 ? 1 : 0;
        }
        pool.shutdown();
        long total = 0;
        for (String account : accounts) {
            total += balance(account);
        }
        assertEquals(3000, total, committed + " transfers committed");
        assertTrue(committed > 0);
    }

    @Test
    void oversizedValueIsRejectedWithTheDocumentedExceptionAndNothingIsWritten() throws Exception {
        String a = unique("kim");
        open(a, 1);
        Reply big = send("PUT", "/accounts/api/accounts/" + a + "/note", "x".repeat(MAX_VALUE_BYTES + 1));
        assertEquals(413, big.status(), big.body());
        assertTrue(big.body().contains("exceeds the store's limit of " + MAX_VALUE_BYTES), big.body());
        assertEquals(404, send("GET", "/accounts/api/accounts/" + a + "/note", null).status());
        assertEquals(404, send("GET", "/api/kv/notes/" + a, null).status());

        assertEquals(204, send("PUT", "/accounts/api/accounts/" + a + "/note", "fits").status());
        assertEquals("fits", send("GET", "/accounts/api/accounts/" + a + "/note", null).body());
    }
}
