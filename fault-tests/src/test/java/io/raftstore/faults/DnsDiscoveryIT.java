package io.raftstore.faults;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Members named by DNS names, as a StatefulSet's pods are (issue 16, "beyond one machine"), in the network
 * namespace lab: {@code ./cluster start --netns --dns} names node I {@code nI.raftstore.test} in
 * {@code RAFTSTORE_MEMBERS}, a dnsmasq on 198.18.4.253 answers for those names from a hosts file, and every
 * node's namespace resolves through it. Each node binds to its own address given apart from the list
 * ({@code RAFTSTORE_BIND_ADDRESS}, as the Kubernetes entry point passes the pod's IP), so that no node needs DNS
 * to start.
 */
class DnsDiscoveryIT {

    private static final Duration FORM = Duration.ofSeconds(90);

    /**
     * (a) Three nodes listed by name elect a leader and replicate. (b) Restarted with no record at all (as pods
     * whose records are not published yet), each node runs alone; once ONE node's record exists, the others
     * reach it and the cluster forms again with everything it held.
     */
    @Test
    void membersByNameFormTheClusterAndFormItAgainOnceARecordAppears() throws Exception {
        try (NetnsCluster c = NetnsCluster.byDns(3, "static")) {
            c.start();
            c.awaitLeaderSeenBy(FORM, 1, 2, 3);
            KvClient kv = c.kv(Duration.ofSeconds(5));
            assertEquals(KvClient.Outcome.OK, kv.putUntilOk(c.url(1), "by-name", "one", Duration.ofSeconds(30)).outcome());
            for (int i = 1; i <= 3; i++) {
                awaitValue(c, kv, i, "by-name", "one");
            }

            c.local().stop();
            for (int i = 1; i <= 3; i++) {
                c.local().dnsRecords(i, false);
            }
            c.local().restart(1, 2, 3); // returns once started: no record, no peer, no leader
            for (int i = 1; i <= 3; i++) {
                JsonObject s = c.status(i).orElseThrow(() -> new AssertionError("a started node answers its status"));
                assertTrue(s.isNull("leaderId"),
                        "no node can know a leader while no name resolves: " + c.describe());
            }
            String log = Files.readString(c.local().messagesLog(2), StandardCharsets.UTF_8);
            assertTrue(log.contains("member n1's address name 'n1.raftstore.test' does not resolve (yet)"),
                    "n2 says which member's name does not resolve");

            c.local().dnsRecords(1, true);
            long shown = System.nanoTime();
            c.awaitLeaderSeenBy(FORM, 1, 2, 3);
            System.out.printf("n1's record back: a leader seen by all three after %d ms%n",
                    (System.nanoTime() - shown) / 1_000_000);
            for (int i = 1; i <= 3; i++) {
                awaitValue(c, kv, i, "by-name", "one");
            }
            assertEquals(KvClient.Outcome.OK, kv.putUntilOk(c.url(3), "by-name", "two", Duration.ofSeconds(30)).outcome());
            for (int i = 1; i <= 3; i++) {
                awaitValue(c, kv, i, "by-name", "two");
            }
        }
        assertLabRemoved();
    }

    /**
     * (c) With DNS discovery on, a follower stopped, moved to a new address with its record, and started again
     * is found there: it rejoins and catches up on what was written while it was away. (d) The whole cluster
     * moved while the records still give the old addresses forms once they give the new ones.
     */
    @Test
    void withDnsDiscoveryNodesMovedToNewAddressesAreFoundThere() throws Exception {
        try (NetnsCluster c = NetnsCluster.byDns(3, "dns")) {
            c.start();
            int leader = c.awaitLeaderSeenBy(FORM, 1, 2, 3);
            int follower = leader % 3 + 1;
            KvClient kv = c.kv(Duration.ofSeconds(5));
            String before = c.url(follower);

            c.local().kill(follower);
            assertEquals(KvClient.Outcome.OK,
                    kv.putUntilOk(c.url(leader), "while-away", "written", Duration.ofSeconds(30)).outcome());
            c.local().move(follower, false);
            assertNotEquals(before, c.url(follower), "the follower has a new address");
            c.local().restart(follower);
            long started = System.nanoTime();

            c.awaitLeaderSeenBy(FORM, 1, 2, 3);
            awaitValue(c, kv, follower, "while-away", "written");
            int now = c.awaitLeaderSeenBy(FORM, 1, 2, 3);
            awaitReachable(c, now, "n" + follower);
            System.out.printf("n%d at %s: caught up and reachable from the leader %d ms after it started%n", follower,
                    c.url(follower), (System.nanoTime() - started) / 1_000_000);

            // (d) Every node rescheduled to a new address while DNS still answers the old ones (a DNS cache keeps
            // an answer for a while): each node resolves its peers' names to dead addresses when it starts, and
            // TCPPING, having resolved them all, never asks again. Only DNS discovery's lookup at every round
            // finds the new addresses once DNS gives them.
            c.local().stop();
            for (int i = 1; i <= 3; i++) {
                c.local().move(i, true);
            }
            c.local().restart(1, 2, 3);
            for (int i = 1; i <= 3; i++) {
                c.local().dnsRecords(i, true);
            }
            long shown = System.nanoTime();
            c.awaitLeaderSeenBy(FORM, 1, 2, 3);
            System.out.printf("all moved, records updated: a leader seen by all three after %d ms%n",
                    (System.nanoTime() - shown) / 1_000_000);
            for (int i = 1; i <= 3; i++) {
                awaitValue(c, kv, i, "while-away", "written");
            }
        }
        assertLabRemoved();
    }

    /** Node i serves {@code value} under {@code key} from its own state (a stale read) within {@link #FORM}. */
    private static void awaitValue(NetnsCluster c, KvClient kv, int i, String key, String value) throws InterruptedException {
        long deadline = System.nanoTime() + FORM.toNanos();
        KvClient.Read r;
        while (!value.equals((r = kv.get(c.url(i), key, "stale")).value())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("n" + i + " does not serve " + key + "=" + value + " within " + FORM + " (last: "
                        + r + ")\n" + c.describe());
            }
            Thread.sleep(200);
        }
    }

    /** The leader reports {@code id} reachable (in its JGroups view) within {@link #FORM}. */
    private static void awaitReachable(NetnsCluster c, int leader, String id) throws InterruptedException {
        long deadline = System.nanoTime() + FORM.toNanos();
        while (true) {
            Optional<JsonObject> s = c.status(leader);
            boolean reachable = s.isPresent() && s.get().getJsonArray("members").stream().map(JsonValue::asJsonObject)
                    .anyMatch(m -> m.getString("id").equals(id) && m.getBoolean("reachable", false));
            if (reachable) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(id + " not reachable from n" + leader + " within " + FORM + "\n" + c.describe());
            }
            Thread.sleep(200);
        }
    }

    /** The wipe stopped dnsmasq and removed the lab: namespaces and their resolv.conf. */
    private static void assertLabRemoved() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String namespaces = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        assertFalse(namespaces.contains("rsfd-"), "namespaces left: " + namespaces);
        for (String ns : new String[] {"rsfd-n1", "rsfd-n2", "rsfd-n3"}) {
            assertFalse(Files.exists(Path.of("/etc/netns", ns)), "/etc/netns/" + ns + " left");
        }
    }
}
