package io.raftstore.arquillian;

import io.raftstore.api.ConditionFailedException;
import io.raftstore.api.InvalidKeyException;
import io.raftstore.api.NotACounterException;
import io.raftstore.api.ReadConsistency;
import io.raftstore.api.StoreConnection;
import io.raftstore.api.StoreConnectionFactory;
import io.raftstore.api.ValueTooLargeException;
import io.raftstore.api.Versioned;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every operation of {@link StoreConnection} from inside the server, outside any transaction, through the
 * factory injected both ways an application can: {@code @Resource(lookup = "eis/raftstore")} and
 * {@code @Inject} (the producer in the API library). Failures arrive as the API's typed exceptions.
 */
@ExtendWith(ArquillianExtension.class)
@OneNodeSuite
class StoreConnectionIT {

    @Deployment
    static WebArchive deployment() {
        return Deployments.application("store-connection");
    }

    @Resource(lookup = "eis/raftstore")
    StoreConnectionFactory looked;

    @Inject
    StoreConnectionFactory injected;

    private static String prefix() {
        return "conn-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    @Test
    void everyOperationRoundTrips() {
        String p = prefix();
        try (StoreConnection c = looked.getConnection()) {
            assertFalse(c.inTransaction());
            long v1 = c.put(p + "a", "one");
            Versioned read = c.get(p + "a").orElseThrow();
            assertEquals(v1, read.version());
            assertArrayEquals("one".getBytes(StandardCharsets.UTF_8), read.value());
            assertEquals("one", c.get(p + "a", ReadConsistency.LEASE).orElseThrow().asString());
            long v2 = c.compareAndSet(p + "a", v1, "two");
            assertTrue(v2 > v1, "versions grow");
            long vb = c.putIfAbsent(p + "b", "bee");
            assertTrue(vb > v2);
            long index = c.batch().requireVersion(p + "a", v2).requireAbsent(p + "c").requireExists(p + "b")
                    .put(p + "c", "sea").delete(p + "b").increment(p + "n", 5).commit();
            assertEquals(index, c.get(p + "c", ReadConsistency.STALE).orElseThrow().version(), "one log position");
            assertEquals(index, c.get(p + "n").orElseThrow().version());
            assertEquals(List.of(p + "a", p + "c", p + "n"), c.scan(p, 10).stream().map(Versioned::key).toList());
            assertEquals(List.of(p + "a"), c.scan(p, 1, ReadConsistency.LINEARIZABLE).stream().map(Versioned::key).toList());
            assertTrue(c.delete(p + "c"));
            assertFalse(c.delete(p + "c"), "already gone");
            c.delete(p + "a", v2);
            assertTrue(c.get(p + "a").isEmpty());
        }
    }

    @Test
    void incrementReturnsTheNewValueAndStoresDecimalText() {
        String key = prefix() + "counter";
        try (StoreConnection c = injected.getConnection()) {
            assertEquals(7, c.increment(key, 7), "an absent counter counts as 0");
            assertEquals(4, c.increment(key, -3));
            assertEquals("4", c.getString(key).orElseThrow());
            c.put(key, "40");
            assertEquals(42, c.increment(key, 2));
        }
    }

    @Test
    void injectedAndLookedUpFactoriesReachTheSameStore() {
        String key = prefix() + "both";
        try (StoreConnection viaInject = injected.getConnection(); StoreConnection viaLookup = looked.getConnection()) {
            long version = viaInject.put(key, "written through @Inject");
            assertEquals(version, viaLookup.get(key).orElseThrow().version());
        }
    }

    @Test
    void failuresAreTheApisTypedExceptionsAndWriteNothing() {
        String p = prefix();
        try (StoreConnection c = looked.getConnection()) {
            ValueTooLargeException big = assertThrows(ValueTooLargeException.class, () -> c.put(p + "big", new byte[(1 << 20) + 1]));
            assertEquals(1 << 20, big.limit());
            assertTrue(c.get(p + "big").isEmpty());

            assertThrows(InvalidKeyException.class, () -> c.put("", "x"));
            InvalidKeyException control = assertThrows(InvalidKeyException.class, () -> c.put(p + "a\u0001b", "x"));
            assertTrue(control.getMessage().contains("control character U+0001"), control.getMessage());

            long v = c.put(p + "k", "1");
            ConditionFailedException exists = assertThrows(ConditionFailedException.class, () -> c.putIfAbsent(p + "k", "2"));
            assertEquals(v, exists.actualVersion());
            ConditionFailedException stale = assertThrows(ConditionFailedException.class, () -> c.compareAndSet(p + "k", v + 1000, "2"));
            assertEquals(v, stale.actualVersion());
            assertThrows(ConditionFailedException.class, () -> c.delete(p + "k", v + 1000));
            ConditionFailedException absent = assertThrows(ConditionFailedException.class,
                    () -> c.batch().requireAbsent(p + "k").put(p + "other", "x").commit());
            assertEquals(p + "k", absent.key());
            assertTrue(c.get(p + "other").isEmpty(), "a failed batch writes nothing");

            c.put(p + "text", "not a number");
            assertThrows(NotACounterException.class, () -> c.increment(p + "text", 1));
            c.put(p + "max", Long.toString(Long.MAX_VALUE));
            assertThrows(NotACounterException.class, () -> c.increment(p + "max", 1));
            assertEquals("1", c.getString(p + "k").orElseThrow());
        }
    }
}
