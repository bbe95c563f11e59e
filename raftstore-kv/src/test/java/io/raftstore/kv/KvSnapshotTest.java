package io.raftstore.kv;

import io.raftstore.core.EntryType;
import io.raftstore.core.LogEntry;
import io.raftstore.core.Membership;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.storage.StorageException;
import io.raftstore.storage.h2.H2StorageConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.raftstore.kv.KvFixture.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Snapshots of the key-value state: round trip, consistency while applying, atomic and bounded restore. */
class KvSnapshotTest {
    @TempDir
    Path dir;

    private static final Membership M = Membership.ofVoters("n1");

    private static void fill(KvFixture kv, int keys) {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            entries.add(new LogEntry(1, 1, EntryType.COMMAND, 100 + i % 5, i + 1,
                    KvCodec.encode(new KvCommand.Put("key/" + i, b("value-" + i)))));
        }
        kv.applyAll(entries);
    }

    private static List<String> dump(KvFixture kv) {
        return ((KvResult.ScanResult) kv.sm.read(new KvCommand.Scan("", 10_000))).entries().stream()
                .map(v -> v.key() + "=" + new String(v.value()) + "@" + v.version() + "/" + v.createIndex()).toList();
    }

    @Test
    void snapshotRoundTripRestoresDataSessionsAndAppliedIndex() {
        byte[] snapshot;
        List<String> expected;
        try (KvFixture source = new KvFixture(dir.resolve("a"))) {
            fill(source, 300);
            source.apply(KvCommand.Delete.of("key/7"));
            expected = dump(source);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            source.sm.writeSnapshot(out);
            snapshot = out.toByteArray();
        }
        // A small staging batch exercises the intermediate commits that keep a large restore's memory bounded.
        try (KvFixture target = new KvFixture(dir.resolve("b"), H2StorageConfig.DEFAULT.withRestoreCommitRecords(7))) {
            target.apply(new KvCommand.Put("will-be-replaced", b("x")));
            target.installSnapshot(new SnapshotMeta(301, 1, M), snapshot);
            assertEquals(301, target.sm.appliedIndex());
            assertEquals(expected, dump(target));
            assertNull(target.value("will-be-replaced"));
            // Sessions came along: client 104's last request (sequence 300) is still deduplicated.
            assertEquals(new KvResult.Written("key/299", 300, true),
                    target.session(104, 300, new KvCommand.Put("key/299", b("again"))));
        }
        try (KvFixture reopened = new KvFixture(dir.resolve("b"))) {
            assertEquals(expected, dump(reopened));
        }
    }

    @Test
    void aCaptureIsConsistentWhileApplyingContinues() {
        try (KvFixture kv = new KvFixture(dir)) {
            fill(kv, 50);
            List<String> before = dump(kv);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (KvStateMachine.Capture capture = kv.sm.capture()) {
                assertEquals(50, capture.index());
                for (int i = 0; i < 20; i++) { // enough writes to rewrite every page of the maps
                    List<LogEntry> writes = new ArrayList<>();
                    for (int j = 0; j < 50; j++) {
                        writes.add(LogEntry.command(1, 1,
                                KvCodec.encode(new KvCommand.Put("key/" + j, new byte[500]))));
                        writes.add(LogEntry.command(1, 1,
                                KvCodec.encode(new KvCommand.Put("more/" + i + "/" + j, b("x")))));
                    }
                    kv.applyAll(writes);
                }
                capture.writeTo(out);
            }
            try (KvFixture other = new KvFixture(dir.resolve("other"))) {
                other.sm.restore(new SnapshotMeta(50, 1, M), new ByteArrayInputStream(out.toByteArray()));
                assertEquals(before, dump(other));
            }
        }
    }

    @Test
    void aDamagedSnapshotIsRefusedAndTheStateIsUnchanged() {
        byte[] snapshot;
        try (KvFixture source = new KvFixture(dir.resolve("a"))) {
            fill(source, 40);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            source.sm.writeSnapshot(out);
            snapshot = out.toByteArray();
        }
        try (KvFixture target = new KvFixture(dir.resolve("b"), H2StorageConfig.DEFAULT.withRestoreCommitRecords(3))) {
            fill(target, 5);
            List<String> before = dump(target);
            byte[] truncated = Arrays.copyOf(snapshot, snapshot.length - 3);
            assertThrows(StorageException.class,
                    () -> target.sm.restore(new SnapshotMeta(40, 1, M), new ByteArrayInputStream(truncated)));
            byte[] corrupt = snapshot.clone();
            corrupt[corrupt.length / 2] ^= 0x55;
            assertThrows(StorageException.class,
                    () -> target.sm.restore(new SnapshotMeta(40, 1, M), new ByteArrayInputStream(corrupt)));
            assertThrows(StorageException.class,
                    () -> target.sm.restore(new SnapshotMeta(41, 1, M), new ByteArrayInputStream(snapshot)));
            assertEquals(before, dump(target));
            assertEquals(5, target.sm.appliedIndex());
        }
        // Whatever the failed restores staged is gone after a restart, and the state is intact.
        try (KvFixture reopened = new KvFixture(dir.resolve("b"))) {
            assertEquals(5, reopened.sm.appliedIndex());
            assertEquals(5, dump(reopened).size());
        }
    }
}
