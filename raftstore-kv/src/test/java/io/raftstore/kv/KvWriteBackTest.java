package io.raftstore.kv;

import io.raftstore.core.Membership;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.storage.h2.H2StorageConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import static io.raftstore.kv.KvFixture.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live tables buffer writes until the state database commits, and every commit takes them along. */
class KvWriteBackTest {
    @TempDir
    Path dir;

    private static final H2StorageConfig NO_CHECKPOINT = H2StorageConfig.DEFAULT.withCheckpointMillis(3_600_000);

    @Test
    void bufferedWritesAreReadScannedAndDeletedBeforeTheyReachTheMaps() {
        try (KvFixture kv = new KvFixture(dir, NO_CHECKPOINT)) {
            kv.apply(new KvCommand.Put("a/1", b("x")));
            kv.apply(new KvCommand.Put("a/2", b("y")));
            kv.apply(new KvCommand.Delete("a/1", null));
            KvTables live = KvTables.live(kv.storage.stateDatabase());
            assertNull(live.data.get("a/2"), "buffered, not yet in the map");
            assertInstanceOf(KvResult.NotFound.class, kv.sm.read(new KvCommand.Get("a/1")));
            assertInstanceOf(KvResult.Value.class, kv.sm.read(new KvCommand.Get("a/2")));
            KvResult.ScanResult scan = (KvResult.ScanResult) kv.sm.read(new KvCommand.Scan("a/", 10));
            assertEquals(1, scan.entries().size(), "a scan sees the buffered put and the buffered delete");
            assertEquals(3, kv.sm.appliedIndex());
        }
    }

    @Test
    void closingCommitsTheBufferedWritesWithTheirAppliedIndex() {
        try (KvFixture kv = new KvFixture(dir, NO_CHECKPOINT)) {
            for (int i = 0; i < 50; i++) {
                kv.apply(new KvCommand.Put("k" + (i % 7), b("v" + i)));
            }
        }
        try (KvFixture kv = new KvFixture(dir, NO_CHECKPOINT)) {
            assertEquals(50, kv.sm.appliedIndex());
            KvResult.Value v = (KvResult.Value) kv.sm.read(new KvCommand.Get("k0"));
            assertEquals("v49", new String(v.value()));
            assertEquals(50, v.version());
        }
    }

    @Test
    void aCaptureHoldsEveryAppliedWrite() throws Exception {
        try (KvFixture kv = new KvFixture(dir, NO_CHECKPOINT)) {
            kv.apply(new KvCommand.Put("only", b("buffered")));
            try (KvStateMachine.Capture c = kv.sm.capture()) {
                assertEquals(1, c.index());
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                c.writeTo(out);
                assertTrue(new String(out.toByteArray(), StandardCharsets.ISO_8859_1).contains("buffered"));
            }
        }
    }

    @Test
    void aBufferedWriteIsFoundAfterTheFullCacheWasDropped() {
        int megabyte = 1 << 20;
        try (KvFixture kv = new KvFixture(dir, NO_CHECKPOINT)) {
            int puts = (int) (KvTables.CACHE_BYTES / megabyte) + 4; // enough to overflow the cache once
            for (int i = 0; i < puts; i++) {
                byte[] value = new byte[megabyte - 100];
                value[0] = (byte) i;
                kv.apply(new KvCommand.Put("big" + i, value));
            }
            KvResult.Value first = (KvResult.Value) kv.sm.read(new KvCommand.Get("big0"));
            assertEquals(1, first.version(), "the first write, buffered, not yet in the map");
            assertEquals(0, first.value()[0]);
        }
    }

    @Test
    void aKeyWrittenAgainAndAgainCountsOnceInTheCacheAndTheBuffer() {
        try (KvFixture kv = new KvFixture(dir, NO_CHECKPOINT)) {
            byte[] kilobyte = new byte[1024];
            for (int i = 0; i < 10_000; i++) {
                kv.apply(new KvCommand.Put("hot", kilobyte));
            }
            KvTables t = kv.sm.tables();
            // Ten thousand rewrites of one key hold about one entry, not ten megabytes (which would have emptied
            // the cache every 32 MB of writes and checkpointed early).
            assertTrue(t.cachedBytes() < 2048, "cache counts " + t.cachedBytes() + " bytes");
            assertTrue(t.pendingBytes() < 2048, "buffer counts " + t.pendingBytes() + " bytes");
        }
    }

    @Test
    void aRestoreThatFailsAfterAStagingCommitLeavesBufferedWritesAndTheirSessionsTogether() {
        byte[] snapshot;
        try (KvFixture source = new KvFixture(dir.resolve("source"), NO_CHECKPOINT)) {
            for (int i = 0; i < 20; i++) {
                source.apply(new KvCommand.Put("s" + i, b("v" + i)));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            source.sm.writeSnapshot(out);
            snapshot = out.toByteArray();
        }
        H2StorageConfig config = NO_CHECKPOINT.withRestoreCommitRecords(2);
        try (KvFixture kv = new KvFixture(dir.resolve("node"), config)) {
            // Buffered: the key and the applied index wait in memory, the client's session is in its map.
            kv.session(7, 1, new KvCommand.Put("mine", b("1")));
            byte[] truncated = Arrays.copyOf(snapshot, snapshot.length - 3);
            assertThrows(RuntimeException.class, () -> kv.sm.restore(
                    new SnapshotMeta(20, 1, Membership.ofVoters("n1")),
                    new ByteArrayInputStream(truncated)));
            // The failed restore rolled back to its last staging commit: whatever that stored of the live
            // state must agree with itself. Replaying entry 1 (as recovery would) must leave the key set.
            if (kv.sm.appliedIndex() == 0) {
                kv.session(7, 1, new KvCommand.Put("mine", b("1")));
            }
            assertEquals(1, kv.sm.appliedIndex());
            assertEquals("1", kv.value("mine"), "the session said applied, so the key must be there");
        }
    }

    @Test
    void aRollbackForgetsBufferedAndCachedWritesWithTheAppliedIndex() {
        try (KvFixture kv = new KvFixture(dir, NO_CHECKPOINT)) {
            kv.apply(new KvCommand.Put("k", b("committed")));
            kv.storage.stateDatabase().write(() -> { }); // a checkpoint
            kv.apply(new KvCommand.Put("k", b("rolled back"))); // buffered and cached
            assertEquals("rolled back", kv.value("k"));
            assertThrows(IllegalStateException.class,
                    () -> kv.storage.stateDatabase().write(() -> {
                        throw new IllegalStateException("a failed write rolls back to the checkpoint");
                    }));
            assertEquals(1, kv.sm.appliedIndex());
            KvResult.Value v = (KvResult.Value) kv.get("k");
            assertEquals("committed", new String(v.value()), "what the applied index says, not a stale cached value");
            assertEquals(1, v.version());
        }
    }

    @Test
    void aValueHandedOutCannotChangeTheStoredOne() {
        try (KvFixture kv = new KvFixture(dir, NO_CHECKPOINT)) {
            kv.apply(new KvCommand.Put("k", b("abc")));
            ((KvResult.Value) kv.sm.read(new KvCommand.Get("k"))).value()[0] = 'X';
            assertEquals("abc", new String(((KvResult.Value) kv.sm.read(new KvCommand.Get("k"))).value()));
        }
    }
}
