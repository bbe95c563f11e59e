package io.raftstore.ejb.gateway;

import io.raftstore.api.ConditionFailedException;
import io.raftstore.api.InvalidKeyException;
import io.raftstore.api.InvalidRequestException;
import io.raftstore.api.NotACounterException;
import io.raftstore.api.ReadConsistency;
import io.raftstore.api.StoreUnavailableException;
import io.raftstore.api.ValueTooLargeException;
import io.raftstore.api.Versioned;
import io.raftstore.api.spi.KeyRules;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.OperationResult;
import io.raftstore.api.spi.Precondition;
import io.raftstore.core.FailureReason;
import io.raftstore.kv.KvLimits;
import io.raftstore.kv.KvValidationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway against a real key-value state machine: every operation's mapping, both ways. */
class KvStoreGatewayTest {

    @TempDir
    Path dir;
    private StateMachineNode node;
    private KvStoreGateway gateway;

    @BeforeEach
    void open() {
        node = new StateMachineNode(dir);
        gateway = new KvStoreGateway(node);
    }

    @AfterEach
    void close() {
        node.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putGetAndVersions() {
        OperationResult.Written w = (OperationResult.Written) gateway.execute(new Operation.Put("a", b("1")));
        Versioned v = gateway.read("a", ReadConsistency.LINEARIZABLE).orElseThrow();
        assertEquals("1", v.asString());
        assertEquals(w.version(), v.version());
        assertTrue(gateway.read("missing", ReadConsistency.STALE).isEmpty());
    }

    @Test
    void conditionalWritesReportTheActualVersion() {
        long v1 = ((OperationResult.Written) gateway.execute(new Operation.Put("a", b("1")))).version();
        ConditionFailedException e = assertThrows(ConditionFailedException.class,
                () -> gateway.execute(new Operation.PutIfAbsent("a", b("2"))));
        assertEquals(v1, e.actualVersion());
        assertEquals("a", e.key());
        assertThrows(ConditionFailedException.class,
                () -> gateway.execute(new Operation.CompareAndSet("a", v1 + 7, b("2"))));
        OperationResult r = gateway.execute(new Operation.CompareAndSet("a", v1, b("2")));
        assertInstanceOf(OperationResult.Written.class, r);
        assertThrows(ConditionFailedException.class, () -> gateway.execute(new Operation.Delete("a", v1)));
        assertEquals(new OperationResult.Deleted(true), gateway.execute(new Operation.Delete("a", null)));
        assertEquals(new OperationResult.Deleted(false), gateway.execute(new Operation.Delete("a", null)));
    }

    @Test
    void incrementsCountersAndRejectsText() {
        OperationResult.Counted c = (OperationResult.Counted) gateway.execute(new Operation.Increment("n", 5));
        assertEquals(5, c.value());
        gateway.execute(new Operation.Put("t", b("hello")));
        assertThrows(NotACounterException.class, () -> gateway.execute(new Operation.Increment("t", 1)));
    }

    @Test
    void batchAppliesAllAtOneIndexOrNothing() {
        gateway.execute(new Operation.Put("x", b("1")));
        long xv = gateway.read("x", ReadConsistency.LINEARIZABLE).orElseThrow().version();
        long index = gateway.executeBatch(List.of(new Precondition.VersionEquals("x", xv), new Precondition.Absent("y")),
                List.of(new Operation.Put("x", b("2")), new Operation.Put("y", b("3")), new Operation.Increment("z", 2)));
        assertEquals(index, gateway.read("y", ReadConsistency.LINEARIZABLE).orElseThrow().version());
        assertEquals(index, gateway.read("x", ReadConsistency.LINEARIZABLE).orElseThrow().version());

        ConditionFailedException e = assertThrows(ConditionFailedException.class, () -> gateway.executeBatch(
                List.of(new Precondition.Exists("x"), new Precondition.VersionEquals("y", xv)),
                List.of(new Operation.Put("w", b("never")))));
        assertEquals("y", e.key());
        assertEquals(index, e.actualVersion());
        assertTrue(gateway.read("w", ReadConsistency.LINEARIZABLE).isEmpty());
    }

    @Test
    void badInputFailsWithTheDocumentedExceptionAndWritesNothing() {
        int before = node.writes();
        assertThrows(InvalidKeyException.class, () -> gateway.execute(new Operation.Put("", b("1"))));
        assertThrows(InvalidKeyException.class, () -> gateway.execute(new Operation.Put("a\u0000", b("1"))));
        ValueTooLargeException big = assertThrows(ValueTooLargeException.class,
                () -> gateway.execute(new Operation.Put("big", new byte[KvLimits.DEFAULT.maxValueBytes() + 1])));
        assertEquals(KvLimits.DEFAULT.maxValueBytes(), big.limit());
        assertThrows(ValueTooLargeException.class, () -> gateway.executeBatch(List.of(),
                List.of(new Operation.Put("ok", b("1")), new Operation.Put("big", new byte[KvLimits.DEFAULT.maxValueBytes() + 1]))));
        assertThrows(InvalidRequestException.class, () -> gateway.executeBatch(List.of(),
                List.of(new Operation.CompareAndSet("a", 1, b("1")))));
        assertThrows(InvalidRequestException.class, () -> gateway.executeBatch(List.of(),
                List.of(new Operation.Put("a", b("1")), new Operation.Put("a", b("2")))));
        assertEquals(before, node.writes());
        assertTrue(gateway.scan("", 10, ReadConsistency.LINEARIZABLE).entries().isEmpty());
    }

    @Test
    void unavailableNodeBecomesStoreUnavailableWithRetryHint() {
        node.failWith(FailureReason.TIMEOUT);
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> gateway.execute(new Operation.Put("a", b("1"))));
        assertTrue(e.mayHaveTakenEffect());
        assertTrue(e.retryAfterMillis() > 0);
        node.failWith(FailureReason.NOT_LEADER);
        e = assertThrows(StoreUnavailableException.class, () -> gateway.read("a", ReadConsistency.LINEARIZABLE));
        assertFalse(e.mayHaveTakenEffect());
    }

    @Test
    void scanReturnsKeysInOrderWithMoreFlag() {
        for (String k : List.of("p/3", "p/1", "p/2", "q/1")) {
            gateway.execute(new Operation.Put(k, b(k)));
        }
        var page = gateway.scan("p/", 2, ReadConsistency.LINEARIZABLE);
        assertEquals(List.of("p/1", "p/2"), page.entries().stream().map(Versioned::key).toList());
        assertTrue(page.more());
    }

    /** The adapter validates keys with the API's rules; the node must agree, or a key could pass one and fail the other. */
    @Test
    void apiKeyRulesAgreeWithTheNodes() {
        List<String> keys = List.of("a", "accounts/alice", "", "a\nb", "a\u007fb", "a\u0085b", "\uD800", "a\uDC00",
                "\uD83D\uDE00", "x".repeat(1024), "x".repeat(1025), "é".repeat(512), "é".repeat(513), "sp ace", "tab\t");
        for (String key : keys) {
            boolean api = accepts(() -> KeyRules.validate(key));
            boolean kv = accepts(() -> KvLimits.validateKey(key));
            assertEquals(kv, api, "key rules disagree on " + KeyRules.printable(key));
        }
    }

    private static boolean accepts(Runnable check) {
        try {
            check.run();
            return true;
        } catch (InvalidKeyException | KvValidationException e) {
            return false;
        }
    }
}
