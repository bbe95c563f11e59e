package io.raftstore.kv;

import io.raftstore.storage.h2.H2StorageConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.raftstore.kv.KvFixture.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Limits: the node that takes a write refuses it up front with a clear error ({@link KvLimits#validate}, with
 * that node's limits); applying an entry checks only what every replica checks alike
 * ({@link KvLimits#AT_APPLY}), so differently configured nodes never diverge.
 */
class KvLimitsTest {
    @TempDir
    Path dir;
    KvFixture kv;
    final KvLimits limits = new KvLimits(100, 1000, 50);

    @BeforeEach
    void open() {
        kv = new KvFixture(dir, H2StorageConfig.DEFAULT); // as a node opens it, whatever its limits
    }

    @AfterEach
    void close() {
        kv.close();
    }

    /** This node refuses the command up front with a message containing {@code reason}. */
    private void refusedHere(KvCommand command, String reason) {
        KvValidationException e = assertThrows(KvValidationException.class, () -> limits.validate(command));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    /** Refused up front, and should it reach the log anyway, rejected by apply without effect. */
    private void refused(KvCommand command, String reason) {
        refusedHere(command, reason);
        long before = kv.sm.appliedIndex();
        KvResult.Rejected r = (KvResult.Rejected) kv.apply(command);
        assertEquals(KvResult.Reason.INVALID_ARGUMENT, r.reason());
        assertTrue(r.message().contains(reason), r.message());
        assertEquals(before + 1, kv.sm.appliedIndex());
        assertEquals(0, ((KvResult.ScanResult) kv.sm.read(new KvCommand.Scan("", 50))).entries().size());
    }

    @Test
    void keysMustBeOneTo1024BytesOfUtf8WithoutControlCharacters() {
        refused(new KvCommand.Put("", b("v")), "key is empty");
        refused(new KvCommand.Put("x".repeat(1025), b("v")), "1025 UTF-8 bytes");
        refused(new KvCommand.Put("é".repeat(513), b("v")), "1026 UTF-8 bytes");
        refused(new KvCommand.Put("€".repeat(342), b("v")), "1026 UTF-8 bytes");
        refused(new KvCommand.Put("\uD83D\uDE00".repeat(256) + "x", b("v")), "1025 UTF-8 bytes"); // 4 bytes each
        KvLimits.DEFAULT.validate(new KvCommand.Put("\uD83D\uDE00".repeat(256), b("v"))); // 1024: at the limit
        KvLimits.DEFAULT.validate(new KvCommand.Put("€".repeat(341) + "x", b("v")));
        refused(new KvCommand.Put("a\nb", b("v")), "control character U+000A");
        refused(new KvCommand.Put("a\u0000", b("v")), "control character U+0000");
        // A lone surrogate cannot even be encoded into an entry (UTF-8 has no form for it): refused up front.
        KvValidationException e = assertThrows(KvValidationException.class,
                () -> limits.validate(new KvCommand.Put("bad\uD800", b("v"))));
        assertTrue(e.getMessage().contains("not valid Unicode"), e.getMessage());
        refused(new KvCommand.Get(""), "key is empty");
        refused(new KvCommand.Increment("\u007F", 1), "control character");
        limits.validate(new KvCommand.Put("x".repeat(1024), b("v")));
        limits.validate(new KvCommand.Put("é".repeat(512), b("v")));
        limits.validate(new KvCommand.Put("emoji \uD83D\uDE00 ok", b("v")));
    }

    @Test
    void valuesAreLimitedByConfiguration() {
        refusedHere(new KvCommand.Put("k", new byte[101]), "101 bytes");
        refusedHere(new KvCommand.PutIfAbsent("k", new byte[101]), "exceeds the limit of 100 bytes");
        refusedHere(new KvCommand.CompareAndSet("k", 0, new byte[101]), "exceeds");
        assertEquals(new KvResult.Written("k", kv.nextIndex(), true), kv.apply(new KvCommand.Put("k", new byte[100])));
        assertEquals(1 << 20, KvLimits.DEFAULT.maxValueBytes());
    }

    @Test
    void batchesHoldAtMost1000ConditionsAndOperations() {
        List<KvCommand.Mutation> ops = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            ops.add(new KvCommand.Put("k" + i, b("v")));
        }
        refusedHere(new KvCommand.Batch(List.of(), ops), "1001 conditions and operations");
        refusedHere(new KvCommand.Batch(List.of(new Condition.KeyAbsent("z")), ops.subList(0, 1000)), "1001");
        refused(new KvCommand.Batch(List.of(), List.of()), "no operations");
        refused(new KvCommand.Batch(List.of(), List.of(new KvCommand.Put("a", b("1")), KvCommand.Delete.of("a"))),
                "more than once");
        refused(new KvCommand.Batch(List.of(), List.of(KvCommand.Delete.ifVersion("a", 1))), "conditional delete");
        refused(new KvCommand.Batch(List.of(), List.of(new KvCommand.Put("ok", b("1")), new KvCommand.Put("bad\n", b("1")))),
                "control character");
        refused(new KvCommand.Batch(List.of(new Condition.KeyExists("")), List.of(new KvCommand.Put("a", b("1")))),
                "key is empty");
        KvResult ok = kv.apply(new KvCommand.Batch(List.of(), ops.subList(0, 1000)));
        assertEquals(1000, ((KvResult.BatchApplied) ok).results().size());
    }

    @Test
    void replicasWhoseNodesHaveDifferentValueLimitsApplyTheSameEntriesAlike(@TempDir Path otherDir) {
        // Nodes may be configured differently: what a node with the default 1 MiB limit proposed must have
        // the same effect on this replica, whose node allows 100 bytes, or the replicas diverge.
        List<KvCommand> entries = List.of(new KvCommand.Put("k", new byte[101]),
                new KvCommand.Batch(List.of(), List.of(new KvCommand.Put("b", new byte[500]))),
                new KvCommand.Put("small", b("v")));
        for (KvCommand e : entries.subList(0, 2)) {
            KvLimits.DEFAULT.validate(e);
            refusedHere(e, "exceeds the limit of 100 bytes");
        }
        try (KvFixture roomy = new KvFixture(otherDir)) {
            for (KvCommand e : entries) {
                assertEquals(roomy.apply(e), kv.apply(e), "result of " + e);
            }
            KvCommand.Scan all = new KvCommand.Scan("", 50);
            assertEquals(roomy.sm.read(all), kv.sm.read(all));
            assertEquals(3, ((KvResult.ScanResult) kv.sm.read(all)).entries().size());
        }
    }

    @Test
    void scanLimitAndVersionsMustBeSensible() {
        refused(new KvCommand.Scan("", 0), "scan limit 0");
        refusedHere(new KvCommand.Scan("", 51), "outside 1..50");
        refused(new KvCommand.CompareAndSet("k", -1, b("v")), "negative");
    }
}
