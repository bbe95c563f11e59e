package io.raftstore.kv;

import io.raftstore.storage.h2.H2StorageConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.raftstore.kv.KvFixture.b;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Exactly-once application per (clientId, sequence), bounded sessions with LRU eviction by log index. */
class KvSessionTest {
    @TempDir
    Path dir;

    @Test
    void aRetryReturnsTheRecordedResultWithoutApplyingAgain() {
        try (KvFixture kv = new KvFixture(dir)) {
            KvResult first = kv.session(7, 1, new KvCommand.Increment("c", 1));
            assertEquals(new KvResult.Counter("c", 1, 1), first);
            assertEquals(first, kv.session(7, 1, new KvCommand.Increment("c", 1)));
            assertEquals("1", kv.value("c"));
            assertEquals(new KvResult.Counter("c", 2, 3), kv.session(7, 2, new KvCommand.Increment("c", 1)));
            assertEquals(3, kv.sm.appliedIndex());
        }
    }

    @Test
    void anOlderSequenceIsReportedStaleAndNotApplied() {
        try (KvFixture kv = new KvFixture(dir)) {
            kv.session(7, 5, new KvCommand.Increment("c", 1));
            assertEquals(new KvResult.SessionExpired(7, 4), kv.session(7, 4, new KvCommand.Increment("c", 1)));
            assertEquals("1", kv.value("c"));
        }
    }

    @Test
    void sessionsSurviveARestart() {
        try (KvFixture kv = new KvFixture(dir)) {
            kv.session(7, 1, new KvCommand.Put("k", b("v")));
        }
        try (KvFixture kv = new KvFixture(dir)) {
            assertEquals(new KvResult.Written("k", 1, true), kv.session(7, 1, new KvCommand.Put("k", b("other"))));
            assertEquals("v", kv.value("k"));
        }
    }

    @Test
    void theLeastRecentlyUsedSessionIsEvictedBeyondTheBound() {
        try (KvFixture kv = new KvFixture(dir, H2StorageConfig.DEFAULT.withMaxSessions(2))) {
            kv.session(1, 1, new KvCommand.Increment("c1", 1)); // index 1
            kv.session(2, 1, new KvCommand.Increment("c2", 1)); // index 2
            kv.session(1, 2, new KvCommand.Increment("c1", 1)); // index 3: client 1 is now the most recent
            kv.session(3, 1, new KvCommand.Increment("c3", 1)); // index 4: evicts client 2 (last used at 2)
            // Client 1 is remembered: its retry is answered from the session.
            assertEquals(new KvResult.Counter("c1", 2, 3), kv.session(1, 2, new KvCommand.Increment("c1", 1)));
            assertEquals("2", kv.value("c1"));
            // Client 2 was evicted: its retry is no longer recognised and applies again (hence a large bound).
            assertEquals(new KvResult.Counter("c2", 2, 6), kv.session(2, 1, new KvCommand.Increment("c2", 1)));
        }
    }

    @Test
    void readsAreNotRecordedInSessions() {
        try (KvFixture kv = new KvFixture(dir)) {
            kv.session(9, 1, new KvCommand.Put("k", b("a")));
            assertEquals(new KvResult.NotFound("x"), kv.session(9, 2, new KvCommand.Get("x")));
            // The write's session entry is still sequence 1: its retry is still deduplicated.
            assertEquals(new KvResult.Written("k", 1, true), kv.session(9, 1, new KvCommand.Put("k", b("b"))));
            assertEquals("a", kv.value("k"));
        }
    }
}
