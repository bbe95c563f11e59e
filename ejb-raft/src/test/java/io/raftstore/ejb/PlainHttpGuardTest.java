package io.raftstore.ejb;

import io.raftstore.ejb.resp.RespEndpoint;
import io.raftstore.node.NodeSettings;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlainHttpGuardTest {

    private static void check(Map<String, String> settings) {
        PlainHttpGuard.check(key -> Optional.ofNullable(settings.get(key)));
    }

    @Test
    void plainHttpOnLoopbackStarts() {
        assertDoesNotThrow(() -> check(Map.of()));
        assertDoesNotThrow(() -> check(Map.of(PlainHttpGuard.HOST, "127.0.0.5")));
        assertDoesNotThrow(() -> check(Map.of(PlainHttpGuard.HOST, "localhost")));
        assertDoesNotThrow(() -> check(Map.of(PlainHttpGuard.HOST, "::1")));
    }

    @Test
    void plainHttpBeyondLoopbackIsRefusedNamingTheSetting() {
        for (String host : new String[]{"198.18.0.1", "0.0.0.0", "*", "::"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> check(Map.of(PlainHttpGuard.HOST, host, PlainHttpGuard.PORT, "9081")), host);
            assertTrue(e.getMessage().contains("raftstore.http.plain.allowed=true"), e.getMessage());
            assertTrue(e.getMessage().contains("RAFTSTORE_HTTP_PLAIN_ALLOWED"), e.getMessage());
        }
    }

    @Test
    void anExplicitAllowanceOrNoPlainPortStarts() {
        assertDoesNotThrow(() -> check(Map.of(PlainHttpGuard.HOST, "198.18.0.1", PlainHttpGuard.ALLOWED, "TRUE")));
        assertDoesNotThrow(() -> check(Map.of(PlainHttpGuard.HOST, "198.18.0.1", PlainHttpGuard.PORT, "-1")));
    }

    @Test
    void anAllowanceThatIsNotABooleanIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> check(Map.of(PlainHttpGuard.ALLOWED, "yes")));
        assertTrue(e.getMessage().contains("must be true or false"), e.getMessage());
    }

    @Test
    void aNameThatDoesNotResolveIsNotTakenForLoopback() {
        assertNotNull(PlainHttpGuard.notLoopback("no-such-host.invalid"));
        assertNull(PlainHttpGuard.notLoopback("127.0.0.1"));
    }

    private static void checkResp(Map<String, String> settings) {
        PlainHttpGuard.checkResp(key -> Optional.ofNullable(settings.get(key)));
    }

    @Test
    void theRedisProtocolBeyondLoopbackIsRefusedUnlessItsOwnOrTheHttpAllowanceSaysSo() {
        assertDoesNotThrow(() -> checkResp(Map.of()), "loopback by default");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> checkResp(Map.of(PlainHttpGuard.HOST, "198.18.0.1")), "the HTTP host is the default");
        assertTrue(e.getMessage().contains("raftstore.resp.plain.allowed=true"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> checkResp(Map.of(RespEndpoint.HOST, "0.0.0.0")));
        assertDoesNotThrow(() -> checkResp(Map.of(RespEndpoint.HOST, "0.0.0.0", PlainHttpGuard.RESP_ALLOWED, "true")));
        assertDoesNotThrow(() -> checkResp(Map.of(RespEndpoint.HOST, "0.0.0.0", PlainHttpGuard.ALLOWED, "true")));
        assertThrows(IllegalStateException.class, () -> checkResp(Map.of(RespEndpoint.HOST, "0.0.0.0",
                PlainHttpGuard.ALLOWED, "true", PlainHttpGuard.RESP_ALLOWED, "false")), "its own switch decides");
        assertDoesNotThrow(() -> checkResp(Map.of(RespEndpoint.HOST, "0.0.0.0", RespEndpoint.PORT, "-1")));
        assertThrows(IllegalStateException.class, () -> checkResp(Map.of(PlainHttpGuard.RESP_ALLOWED, "yes")));
    }

    @Test
    void anonymousRedisAccessIsRefusedBeyondLoopbackEvenWhenPlainTextIsAllowedAndBadValuesAreNamed() {
        assertTrue(RespEndpoint.anonymous(key -> Optional.empty()).isEmpty(), "none by default");
        assertEquals(2, RespEndpoint.anonymous(key -> Optional.ofNullable(Map.of(RespEndpoint.ANONYMOUS, "writer").get(key)))
                .size());
        assertDoesNotThrow(() -> checkResp(Map.of(RespEndpoint.ANONYMOUS, "writer")), "loopback by default");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> checkResp(Map.of(
                RespEndpoint.ANONYMOUS, "reader", RespEndpoint.HOST, "198.18.0.1", PlainHttpGuard.RESP_ALLOWED, "true")));
        assertTrue(e.getMessage().contains("loopback address only"), e.getMessage());
        NodeSettings.InvalidSettingException bad = assertThrows(NodeSettings.InvalidSettingException.class,
                () -> RespEndpoint.anonymous(key -> Optional.ofNullable(Map.of(RespEndpoint.ANONYMOUS, "everyone").get(key))));
        assertEquals(RespEndpoint.ANONYMOUS, bad.key());
        NodeSettings.InvalidSettingException port = assertThrows(NodeSettings.InvalidSettingException.class,
                () -> checkResp(Map.of(RespEndpoint.PORT, "six")), "a bad port stops the start as an invalid setting");
        assertEquals(RespEndpoint.PORT, port.key());
    }
}
