package io.raftstore.ejb.gateway;

import io.raftstore.api.ConditionFailedException;
import io.raftstore.api.KeyHeldException;
import io.raftstore.api.ReadConsistency;
import io.raftstore.api.UnknownTransactionException;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.OperationResult;
import io.raftstore.api.spi.Precondition;
import io.raftstore.api.spi.PreparedTransaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The gateway's two-phase calls against a real state machine, and how a held key reaches each kind of write. */
class KvStoreGatewayPreparedTest {

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

    private long version(String key) {
        return gateway.read(key, ReadConsistency.LINEARIZABLE).orElseThrow().version();
    }

    @Test
    void prepareListCommitAndAnUnknownId() {
        long a = ((OperationResult.Written) gateway.execute(new Operation.Put("a", b("1")))).version();
        long at = gateway.prepare("tx1", List.of(new Precondition.VersionEquals("a", a)),
                List.of(new Operation.Put("a", b("2")), new Operation.Increment("n", 3)));
        assertEquals(List.of(new PreparedTransaction("tx1", List.of("a", "n"), at)), gateway.preparedTransactions());
        gateway.commitPrepared("tx1");
        assertEquals(version("n"), version("a"), "both written at the commit's log position");
        assertEquals("3", gateway.read("n", ReadConsistency.LINEARIZABLE).orElseThrow().asString());
        assertEquals(List.of(), gateway.preparedTransactions());
        UnknownTransactionException e = assertThrows(UnknownTransactionException.class, () -> gateway.commitPrepared("tx1"));
        assertEquals("tx1", e.transactionId());
        assertThrows(UnknownTransactionException.class, () -> gateway.rollbackPrepared("tx1"));
    }

    @Test
    void aConflictAtPrepareIsAFailedCondition() {
        gateway.execute(new Operation.Put("a", b("1")));
        ConditionFailedException e = assertThrows(ConditionFailedException.class, () -> gateway.prepare("tx1",
                List.of(new Precondition.Absent("a")), List.of(new Operation.Put("a", b("2")))));
        assertEquals(null, e.heldBy());
        assertEquals(List.of(), gateway.preparedTransactions());
    }

    /** Plain writes get a retryable error; conditional and transactional ones a conflict naming the holder. */
    @Test
    void aHeldKeyIsRetryableForPlainWritesAndAConflictForConditionalOnes() {
        long a = ((OperationResult.Written) gateway.execute(new Operation.Put("a", b("1")))).version();
        gateway.prepare("tx1", List.of(new Precondition.VersionEquals("a", a)), List.of(new Operation.Put("b", b("2"))));
        for (Operation plain : List.of(new Operation.Put("a", b("x")), new Operation.Delete("a", null),
                new Operation.Increment("b", 1))) {
            KeyHeldException e = assertThrows(KeyHeldException.class, () -> gateway.execute(plain), plain.toString());
            assertEquals("tx1", e.transactionId());
            assertFalse(e.mayHaveTakenEffect());
        }
        for (Operation conditional : List.of(new Operation.CompareAndSet("a", a, b("x")),
                new Operation.PutIfAbsent("b", b("x")), new Operation.Delete("a", a))) {
            ConditionFailedException e = assertThrows(ConditionFailedException.class, () -> gateway.execute(conditional));
            assertEquals("tx1", e.heldBy());
        }
        ConditionFailedException batch = assertThrows(ConditionFailedException.class, () -> gateway.executeBatch(
                List.of(new Precondition.Exists("a")), List.of(new Operation.Put("c", b("x")))));
        assertEquals("tx1", batch.heldBy());
        ConditionFailedException other = assertThrows(ConditionFailedException.class, () -> gateway.prepare("tx2",
                List.of(), List.of(new Operation.Put("b", b("x")))));
        assertEquals("b", other.key());
        assertEquals("tx1", other.heldBy());
        gateway.rollbackPrepared("tx1");
        gateway.execute(new Operation.Put("a", b("free")));
        assertEquals(false, gateway.read("b", ReadConsistency.LINEARIZABLE).isPresent());
    }
}
