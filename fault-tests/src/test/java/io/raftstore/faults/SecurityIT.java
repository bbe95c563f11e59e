package io.raftstore.faults;

import io.raftstore.harness.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Node-to-node security on real Liberty servers over loopback (docs/security.md, "Between nodes"): what the
 * network carries between nodes holds no key or value (captured with tcpdump), a node with another CA's
 * certificate or with none is refused with a line in the logs of both sides while the cluster serves on, and a
 * node with a renewed certificate rejoins. {@code -Dsecurity.it.transport=off} runs the same tests on a cluster
 * without node-to-node protection, where they must fail.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT {

    private static final int HTTP_BASE = 9460;
    private static final int JGROUPS_BASE = 19460;
    private static LocalCluster cluster;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() {
        cluster = LocalCluster.builder("security-cluster", HTTP_BASE, JGROUPS_BASE).withoutSamples()
                .env("RAFTSTORE_TRANSPORT_SECURITY", System.getProperty("security.it.transport", "on")).build();
        cluster.start(3);
    }

    @AfterAll
    static void wipe() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private int put(int node, String key, String value) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(cluster.url(node) + "/api/kv/" + key))
                .header("Authorization", cluster.appAuthorization())
                .timeout(Duration.ofSeconds(10)).PUT(HttpRequest.BodyPublishers.ofString(value)).build();
        return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String get(int node, String key, String consistency) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(cluster.url(node) + "/api/kv/" + key + "?consistency="
                + consistency)).header("Authorization", cluster.appAuthorization())
                .timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
        return resp.statusCode() == 200 ? resp.body() : null;
    }

    /** Writes through every node (followers forward to the leader) and waits until every node has applied all. */
    private List<String> writeEverywhere(String prefix, int count) throws Exception {
        List<String> written = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = prefix + "-key-" + i;
            String value = prefix + "-value-" + i + "-QX7";
            assertEquals(201, put(1 + i % 3, key, value), "writing " + key);
            written.add(key);
            written.add(value);
        }
        String lastKey = prefix + "-key-" + (count - 1);
        for (int node = 1; node <= 3; node++) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (get(node, lastKey, "stale") == null) {
                assertTrue(System.nanoTime() < deadline, "n" + node + " never applied " + lastKey);
                Thread.sleep(50);
            }
        }
        return written;
    }

    @Test
    @Order(1)
    void nodeToNodeTrafficCarriesNoKeyOrValueInClearText() throws Exception {
        Path capture = Files.createTempFile(Path.of("target"), "node-to-node-", ".pcap");
        // Node-to-node traffic only: the JGroups ports (and 100 above them, where FD_SOCK2 listened), not HTTP.
        String filter = "tcp portrange " + (JGROUPS_BASE + 1) + "-" + (JGROUPS_BASE + 3) + " or tcp portrange "
                + (JGROUPS_BASE + 101) + "-" + (JGROUPS_BASE + 103);
        Process tcpdump;
        try {
            // --immediate-mode and -U: each packet reaches the file as it is captured, not a buffer later.
            tcpdump = new ProcessBuilder("tcpdump", "-i", "lo", "--immediate-mode", "-U", "-s", "0", "-w",
                    capture.toString(), filter)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("tcpdump is needed (Debian package tcpdump; ./run-tests installs it)", e);
        }
        List<String> secrets;
        try {
            awaitListening(tcpdump);
            secrets = writeEverywhere("capture", 30);
            // Thirty writes replicated to two followers, a third of them forwarded: tens of kilobytes of frames.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Files.size(capture) < 20_000) {
                assertTrue(System.nanoTime() < deadline, "the capture holds only " + Files.size(capture)
                        + " bytes: tcpdump saw no node-to-node traffic");
                Thread.sleep(100);
            }
        } finally {
            tcpdump.destroy(); // SIGTERM: tcpdump writes what it holds and exits
            assertTrue(tcpdump.waitFor(10, TimeUnit.SECONDS), "tcpdump did not stop");
        }
        byte[] packets = Files.readAllBytes(capture);
        String text = new String(packets, StandardCharsets.ISO_8859_1);
        for (String secret : secrets) {
            assertFalse(text.contains(secret), "'" + secret + "' crossed the network between nodes in clear text ("
                    + capture + ")");
        }
        Files.delete(capture);
    }

    /** tcpdump says "listening on lo" on stderr once it captures. */
    private static void awaitListening(Process tcpdump) throws IOException {
        BufferedReader err = new BufferedReader(new InputStreamReader(tcpdump.getErrorStream(), StandardCharsets.UTF_8));
        for (int i = 0; i < 20; i++) {
            String line = err.readLine();
            assertTrue(line != null, "tcpdump exited before capturing (needs root)");
            if (line.contains("listening on")) {
                return;
            }
        }
        throw new IllegalStateException("tcpdump did not start listening");
    }

    @Test
    @Order(2)
    void aNodeWithAnotherCasCertificateIsRefusedAndTheClusterServesOn() throws Exception {
        assertRefused("--foreign-ca", 4, "not issued by a CA this cluster trusts");
    }

    @Test
    @Order(3)
    void aNodeWithoutCredentialsIsRefusedAndTheClusterServesOn() throws Exception {
        assertRefused("--no-credentials", 5, "without node certificates");
    }

    private void assertRefused(String how, int node, String reason) throws Exception {
        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> cluster.run("add", how),
                "a node started with " + how + " joined the cluster");
        // The refused node says so (./cluster reports its startup failure) ...
        assertTrue(failed.getMessage().contains("n" + node + " was REFUSED by the cluster"), failed.getMessage());
        assertTrue(failed.getMessage().contains(reason), failed.getMessage());
        String own = Files.readString(cluster.consoleLog(node));
        assertTrue(own.contains("REFUSED by the cluster"), "n" + node + "'s log does not say it was refused");
        // ... and so does the member that refused it.
        boolean refuser = false;
        for (int i = 1; i <= 3; i++) {
            refuser |= Files.readString(cluster.consoleLog(i)).contains("REFUSED n" + node + " entry into the cluster: ");
        }
        assertTrue(refuser, "no member logged that it refused n" + node);
        writeEverywhere("after-refusing-n" + node, 3);
    }

    @Test
    @Order(4)
    void aNodeWithARenewedCertificateRejoins() throws Exception {
        cluster.run("renew-cert", "2");
        cluster.kill(2);
        cluster.restart(2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (cluster.status().get(1).leaderId() == null) {
            assertTrue(System.nanoTime() < deadline, "n2 with its new certificate knows no leader: " + cluster.describe());
            Thread.sleep(200);
        }
        writeEverywhere("renewed", 3);
        // HTTPS serves the renewed certificate, which the cluster's CA issued.
        HttpClient trusting = HttpClient.newBuilder().sslContext(Tls.trusting(cluster.caCertificate())).build();
        HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(URI.create(cluster.httpsUrl(2) + "/api/kv/renewed-key-0"))
                .header("Authorization", cluster.appAuthorization()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("renewed-value-0-QX7", r.body());
    }
}
