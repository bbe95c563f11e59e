package io.raftstore.faults;

import io.raftstore.harness.LocalCluster;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node bound to an address that is not loopback refuses to serve its API over plain HTTP unless the operator
 * allows it explicitly, and the refusal names the setting (issue 14). Node 1 of a --netns cluster listens on
 * 198.18.3.1; `./cluster start --netns` allows plain HTTP there (a test lab) unless told otherwise, as here.
 * That every other fault test's cluster starts shows the allowance works.
 */
class PlainHttpRefusalIT {

    @Test
    void aNodeOnANetworkAddressRefusesPlainHttpUnlessAllowedAndSaysWhichSetting() {
        try (LocalCluster cluster = LocalCluster.builder("plain-http-cluster", 9080, 17800).netns().withoutSamples()
                .env("RAFTSTORE_NETNS_PREFIX", "rsfp").env("RAFTSTORE_NETNS_OCTET", "3")
                .env("RAFTSTORE_HTTP_PLAIN_ALLOWED", "false").build()) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> cluster.start(1));
            String why = refused.getMessage();
            assertTrue(why.contains("NOT started: plain HTTP on 198.18.3.1:9081 refused"), why);
            assertTrue(why.contains("raftstore.http.plain.allowed=true"), "the refusal names the setting: " + why);
        }
    }
}
