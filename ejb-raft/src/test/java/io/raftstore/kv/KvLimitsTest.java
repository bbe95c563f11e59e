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

/** Limits: a clear error, and nothing written, both from {@link KvLimits#validate} and when applied. */
class KvLimitsTest {
    @TempDir
    Path dir;
    KvFixture kv;
    final KvLimits limits = new KvLimits(100, 1000, 50);

    @BeforeEach
    void open() {
        kv = new KvFixture(dir, H2StorageConfig.DEFAULT.withKvLimits(limits));
    }

    @AfterEach
    void close() {
        kv.close();
    }

    /** The command is refused up front with a message containing {@code reason}, and by apply without effect. */
    private void refused(KvCommand command, String reason) {
        KvValidationException e = assertThrows(KvValidationException.class, () -> limits.validate(command));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        long before = kv.sm.appliedIndex();
        KvResult.Rejected r = (KvResult.Rejected) kv.apply(command);
        assertEquals(KvResult.Reason.INVALID_ARGUMENT, r.reason());
        assertEquals(e.getMessage(), r.message());
        assertEquals(before + 1, kv.sm.appliedIndex());
        assertEquals(0, ((KvResult.ScanResult) kv.sm.read(new KvCommand.Scan("", 50))).entries().size());
    }

    @Test
    void keysMustBeOneTo1024BytesOfUtf8WithoutControlCharacters() {
        refused(new KvCommand.Put("", b("v")), "key is empty");
        refused(new KvCommand.Put("x".repeat(1025), b("v")), "1025 UTF-8 bytes");
        refused(new KvCommand.Put("é".repeat(513), b("v")), "1026 UTF-8 bytes");
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
        refused(new KvCommand.Put("k", new byte[101]), "101 bytes");
        refused(new KvCommand.PutIfAbsent("k", new byte[101]), "exceeds the limit of 100 bytes");
        refused(new KvCommand.CompareAndSet("k", 0, new byte[101]), "exceeds");
        assertEquals(new KvResult.Written("k", kv.nextIndex(), true), kv.apply(new KvCommand.Put("k", new byte[100])));
        assertEquals(1 << 20, KvLimits.DEFAULT.maxValueBytes());
    }

    @Test
    void batchesHoldAtMost1000ConditionsAndOperations() {
        List<KvCommand.Mutation> ops = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            ops.add(new KvCommand.Put("k" + i, b("v")));
        }
        refused(new KvCommand.Batch(List.of(), ops), "1001 conditions and operations");
        refused(new KvCommand.Batch(List.of(new Condition.KeyAbsent("z")), ops.subList(0, 1000)), "1001");
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
    void scanLimitAndVersionsMustBeSensible() {
        refused(new KvCommand.Scan("", 0), "scan limit 0");
        refused(new KvCommand.Scan("", 51), "outside 1..50");
        refused(new KvCommand.CompareAndSet("k", -1, b("v")), "negative");
    }
}
