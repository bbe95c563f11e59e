package io.raftstore.ejb;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
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
}
