package io.raftstore.it;

import io.raftstore.harness.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sample application, deployed on its own next to the store, gets {@code eis/raftstore} injected and
 * uses it in container-managed transactions; checked over HTTP against n1 of a real cluster
 * ({@link SharedCluster}). Each test uses accounts of its own, so tests do not depend on each other's order.
 */
class SampleAccountsIT {

    private static final int MAX_VALUE_BYTES = SharedCluster.MAX_VALUE_BYTES;

    private static LocalCluster cluster;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startServer() {
        cluster = SharedCluster.threeNodes();
    }

    @AfterAll
    static void keepLogs() {
        if (cluster != null) {
            cluster.keepLogs("sample-accounts");
        }
    }

    private static SampleClient client() {
        return new SampleClient(HTTP, cluster.url(1), cluster.appAuthorization());
    }

    private static SampleClient.Reply send(String method, String path, String body) throws Exception {
        return client().send(method, path, body);
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void open(String account, long balance) throws Exception {
        SampleClient.Reply r = client().open(account, balance);
        assertEquals(201, r.status(), r.body());
    }

    private static SampleClient.Reply transfer(String from, String to, long amount, String extra) throws Exception {
        return client().transfer(from, to, amount, extra);
    }

    private static long balance(String account) throws Exception {
        Long balance = client().balances().get(account);
        assertTrue(balance != null, account + " missing");
        return balance;
    }

    /** The key's version, read through the store's own REST API (not through the adapter). */
    private static String version(String key) throws Exception {
        return client().etag(key);
    }

    @Test
    void injectedStoreCommitsATransferAsOneBatch() throws Exception {
        String a = unique("alice");
        String b = unique("bob");
        open(a, 100);
        open(b, 5);
        SampleClient.Reply r = transfer(a, b, 30, "");
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
        SampleClient.Reply r = transfer(a, b, 20, "&fail=true");
        assertEquals(500, r.status(), r.body());
        assertTrue(r.body().contains("ROLLED_BACK"), r.body());
        assertEquals(50, balance(a));
        assertEquals(0, balance(b));
        assertEquals(before, version("accounts/" + a));
        SampleClient.Reply overdraft = transfer(a, b, 51, "");
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
            Future<SampleClient.Reply> first = pool.submit(() -> transfer(a, b, 60, "&pauseMillis=1500"));
            Future<SampleClient.Reply> second = pool.submit(() -> transfer(a, c, 60, "&pauseMillis=1500"));
            List<SampleClient.Reply> replies = List.of(first.get(), second.get());
            List<Integer> statuses = replies.stream().map(SampleClient.Reply::status).sorted().toList();
            assertEquals(List.of(200, 409), statuses, replies.toString());
            SampleClient.Reply conflict = replies.stream().filter(r -> r.status() == 409).findFirst().orElseThrow();
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
        SampleClient.Reply big = send("PUT", "/accounts/api/accounts/" + a + "/note", "x".repeat(MAX_VALUE_BYTES + 1));
        assertEquals(413, big.status(), big.body());
        assertTrue(big.body().contains("exceeds the store's limit of " + MAX_VALUE_BYTES), big.body());
        assertEquals(404, send("GET", "/accounts/api/accounts/" + a + "/note", null).status());
        assertEquals(404, send("GET", "/api/kv/notes/" + a, null).status());

        assertEquals(204, send("PUT", "/accounts/api/accounts/" + a + "/note", "fits").status());
        assertEquals("fits", send("GET", "/accounts/api/accounts/" + a + "/note", null).body());
    }
}
