package io.raftstore.web.service;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdminSettingsTest {

    @Test
    void peersKeepTheirOrderAndLoseATrailingSlash() {
        Map<String, URI> peers = AdminSettings.parsePeers(" n2=http://10.0.0.2:9080/ , n1=http://10.0.0.1:9080");
        assertEquals(List.of("n2", "n1"), List.copyOf(peers.keySet()));
        assertEquals(URI.create("http://10.0.0.2:9080"), peers.get("n2"));
    }

    @Test
    void aMalformedPeerIsRefusedWithTheKeyName() {
        var e = assertThrows(IllegalArgumentException.class, () -> AdminSettings.parsePeers("n1=http://a:1,n2"));
        assertEquals(AdminSettings.PEERS + ": expected id=http://host:port, got 'n2'", e.getMessage());
    }
}
