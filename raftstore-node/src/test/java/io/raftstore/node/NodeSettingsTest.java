package io.raftstore.node;

import io.raftstore.storage.LogStoreKind;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeSettingsTest {

    private static Map<String, String> valid() {
        Map<String, String> m = new HashMap<>();
        m.put("raftstore.node.id", "n2");
        m.put("raftstore.members", "n1=127.0.0.1:17801, n2=127.0.0.1:17802,n3=127.0.0.1:17803");
        m.put("raftstore.data.dir", "/tmp/raftstore/n2");
        return m;
    }

    private static NodeSettings parse(Map<String, String> m) {
        return NodeSettings.from(k -> Optional.ofNullable(m.get(k)));
    }

    private static void assertRejected(String key, Map<String, String> m) {
        var e = assertThrows(NodeSettings.InvalidSettingException.class, () -> parse(m));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().startsWith(key + ": "), e.getMessage());
    }

    @Test
    void readsMembersAndDefaults() {
        NodeSettings s = parse(valid());
        assertEquals("n2", s.nodeId());
        assertEquals(17802, s.self().port());
        assertEquals(3, s.members().size());
        assertEquals(10, s.tickMillis());
        assertEquals(5000, s.requestTimeoutMillis());
        assertEquals(false, s.join());
    }

    @Test
    void joinModeIsAYesOrNo() {
        var m = valid();
        m.put("raftstore.join", "true");
        assertTrue(parse(m).join());
        m.put("raftstore.join", "yes");
        assertRejected("raftstore.join", m);
    }

    @Test
    void leaseReadsAreOffUnlessTurnedOnAndTheSettingIsAYesOrNo() {
        var m = valid();
        assertFalse(parse(m).leaseReads());
        m.put("raftstore.lease.reads", " true ");
        assertTrue(parse(m).leaseReads());
        m.put("raftstore.lease.reads", "on");
        assertRejected("raftstore.lease.reads", m);
    }

    @Test
    void theLogStoreIsTheWriteAheadLogUnlessH2IsChosen() {
        var m = valid();
        assertEquals(LogStoreKind.WAL, parse(m).logStore());
        m.put("raftstore.log.store", " H2 ");
        assertEquals(LogStoreKind.H2, parse(m).logStore());
        m.put("raftstore.log.store", "sql");
        assertRejected("raftstore.log.store", m);
        var e = assertThrows(NodeSettings.InvalidSettingException.class, () -> parse(m));
        assertTrue(e.getMessage().contains("'sql' must be wal") && e.getMessage().contains("or h2"), e.getMessage());
    }

    @Test
    void membersMayBeDnsNamesWithDnsDiscoveryAndABindAddressBeside() {
        Map<String, String> m = valid();
        m.put("raftstore.members", "n1=raftstore-0.peers.svc:7800,n2=raftstore-1.peers.svc:7800,n3=raftstore-2.peers.svc:7800");
        NodeSettings plain = parse(m);
        assertEquals("raftstore-1.peers.svc", plain.self().host());
        assertNull(plain.bindAddress());
        assertNull(plain.dns(), "the static list alone unless told otherwise");

        m.put("raftstore.bind.address", "10.1.2.3");
        m.put("raftstore.discovery", "dns");
        m.put("raftstore.discovery.dns.query", "peers.svc");
        m.put("raftstore.discovery.dns.server", "10.96.0.10:53");
        NodeSettings s = parse(m);
        assertEquals("10.1.2.3", s.bindAddress());
        assertEquals("peers.svc", s.dns().query());
        assertEquals("10.96.0.10:53", s.dns().server());
    }

    @Test
    void wrongDiscoverySettingsNameTheirKey() {
        Map<String, String> m = valid();
        m.put("raftstore.discovery", "multicast");
        assertRejected("raftstore.discovery", m);
        m.put("raftstore.discovery", "dns");
        assertRejected("raftstore.discovery.dns.query", m);
        m.put("raftstore.discovery.dns.query", "peers\"/><x");
        assertRejected("raftstore.discovery.dns.query", m);
        m.put("raftstore.discovery.dns.query", "peers.svc");
        m.put("raftstore.discovery.dns.server", "dns://10.96.0.10");
        assertRejected("raftstore.discovery.dns.server", m);
        m.remove("raftstore.discovery.dns.server");
        m.put("raftstore.bind.address", "raftstore-0.peers.svc");
        assertRejected("raftstore.bind.address", m);
    }

    @Test
    void eachWrongValueNamesItsSetting() {
        var m = valid();
        m.remove("raftstore.node.id");
        assertRejected("raftstore.node.id", m);

        m = valid();
        m.put("raftstore.node.id", "n9");
        assertRejected("raftstore.members", m);

        m = valid();
        m.put("raftstore.members", "n1=127.0.0.1:17801,n2=127.0.0.1");
        assertRejected("raftstore.members", m);

        m = valid();
        m.put("raftstore.members", "n1=127.0.0.1:17801,n2=127.0.0.1:17801");
        assertRejected("raftstore.members", m);

        m = valid();
        m.put("raftstore.data.dir", "relative/dir");
        assertRejected("raftstore.data.dir", m);

        m = valid();
        m.put("raftstore.tick.ms", "ten");
        assertRejected("raftstore.tick.ms", m);

        m = valid();
        m.put("raftstore.election.ticks", "3");
        assertRejected("raftstore.election.ticks", m);
    }
}
