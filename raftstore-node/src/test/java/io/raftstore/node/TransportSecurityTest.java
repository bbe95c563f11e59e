package io.raftstore.node;

import io.raftstore.transport.security.TestPki;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node's node-to-node protection from its settings: on unless switched off, and then a usable keystore or no start. */
class TransportSecurityTest {

    private static NodeSettings.InvalidSettingException refused(Map<String, String> settings) {
        return assertThrows(NodeSettings.InvalidSettingException.class,
                () -> TransportSecurity.credentials("n1", k -> Optional.ofNullable(settings.get(k))));
    }

    @Test
    void anUnconfiguredNodeRefusesAndSaysWhatToSet() {
        var e = refused(Map.of());
        assertEquals(TransportSecurity.KEYSTORE, e.key());
        assertTrue(e.getMessage().contains("RAFTSTORE_TLS_KEYSTORE") && e.getMessage().contains("raftstore.transport.security=off"),
                e.getMessage());
    }

    @Test
    void offMeansNoCredentialsAndAnythingElseIsAnError() {
        assertNull(TransportSecurity.credentials("n1", k -> Optional.ofNullable(Map.of(TransportSecurity.SECURITY, "off").get(k))));
        assertEquals(TransportSecurity.SECURITY, refused(Map.of(TransportSecurity.SECURITY, "maybe")).key());
    }

    @Test
    void aKeystoreMustBeReadableOpenAndThisNodes() {
        String n1 = TestPki.authority("cluster").keystore("n1").toString();
        String n2 = TestPki.authority("cluster").keystore("n2").toString();
        String password = new String(TestPki.password());
        assertTrue(refused(Map.of(TransportSecurity.KEYSTORE, "/nonexistent/n1.p12")).getMessage().contains("no readable keystore"));
        assertEquals(TransportSecurity.KEYSTORE_PASSWORD, refused(Map.of(TransportSecurity.KEYSTORE, n1)).key());
        assertTrue(refused(Map.of(TransportSecurity.KEYSTORE, n1, TransportSecurity.KEYSTORE_PASSWORD, "wrong"))
                .getMessage().contains("cannot read the keystore"));
        assertTrue(refused(Map.of(TransportSecurity.KEYSTORE, n2, TransportSecurity.KEYSTORE_PASSWORD, password))
                .getMessage().contains("presented the certificate of 'n2'"));
        assertEquals("n1", TransportSecurity.credentials("n1", k -> Optional.ofNullable(Map.of(TransportSecurity.KEYSTORE, n1,
                TransportSecurity.KEYSTORE_PASSWORD, password).get(k))).nodeId());
    }
}
