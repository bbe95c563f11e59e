package io.raftstore.kv;

import io.raftstore.core.EntryType;
import io.raftstore.core.LogEntry;
import io.raftstore.core.Membership;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.raftstore.kv.KvFixture.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each key-value command's result and effect, applied through the log to a real H2 state machine. */
class KvCommandTest {
    @TempDir
    Path dir;
    KvFixture kv;

    @BeforeEach
    void open() {
        kv = new KvFixture(dir);
    }

    @AfterEach
    void close() {
        kv.close();
    }

    @Test
    void getOfAMissingKeyIsNotFound() {
        assertEquals(new KvResult.NotFound("k"), kv.apply(new KvCommand.Get("k")));
    }

    @Test
    void putCreatesThenUpdatesKeepingTheCreationIndex() {
        assertEquals(new KvResult.Written("k", 1, true), kv.apply(new KvCommand.Put("k", b("one"))));
        assertEquals(new KvResult.Written("k", 2, false), kv.apply(new KvCommand.Put("k", b("two"))));
        KvResult.Value v = (KvResult.Value) kv.apply(new KvCommand.Get("k"));
        assertArrayEquals(b("two"), v.value());
        assertEquals(2, v.version());
        assertEquals(1, v.createIndex());
    }

    @Test
    void putIfAbsentWritesOnlyWhenAbsent() {
        assertEquals(new KvResult.Written("k", 1, true), kv.apply(new KvCommand.PutIfAbsent("k", b("a"))));
        assertEquals(new KvResult.ConditionFailed(0, new Condition.KeyAbsent("k"), 1),
                kv.apply(new KvCommand.PutIfAbsent("k", b("b"))));
        assertEquals("a", kv.value("k"));
    }

    @Test
    void compareAndSetChecksTheVersion() {
        assertEquals(new KvResult.Written("k", 1, true), kv.apply(new KvCommand.CompareAndSet("k", 0, b("a"))));
        assertEquals(new KvResult.ConditionFailed(0, new Condition.VersionEquals("k", 5), 1),
                kv.apply(new KvCommand.CompareAndSet("k", 5, b("x"))));
        assertEquals("a", kv.value("k"));
        assertEquals(new KvResult.Written("k", 3, false), kv.apply(new KvCommand.CompareAndSet("k", 1, b("b"))));
        assertEquals("b", kv.value("k"));
    }

    @Test
    void deleteUnconditionalAndConditional() {
        kv.apply(new KvCommand.Put("k", b("a")));
        assertEquals(new KvResult.ConditionFailed(0, new Condition.VersionEquals("k", 9), 1),
                kv.apply(KvCommand.Delete.ifVersion("k", 9)));
        assertEquals("a", kv.value("k"));
        assertEquals(new KvResult.Deleted("k", true, 1, 3), kv.apply(KvCommand.Delete.ifVersion("k", 1)));
        assertNull(kv.value("k"));
        assertEquals(new KvResult.Deleted("k", false, 0, 4), kv.apply(KvCommand.Delete.of("k")));
        kv.apply(new KvCommand.Put("k", b("again")));
        assertEquals(new KvResult.Deleted("k", true, 5, 6), kv.apply(KvCommand.Delete.of("k")));
    }

    @Test
    void incrementCountsFromZeroAndRejectsNonNumbersAndOverflow() {
        assertEquals(new KvResult.Counter("c", 5, 1), kv.apply(new KvCommand.Increment("c", 5)));
        assertEquals(new KvResult.Counter("c", 2, 2), kv.apply(new KvCommand.Increment("c", -3)));
        assertEquals("2", kv.value("c"));
        kv.apply(new KvCommand.Put("text", b("hello")));
        KvResult r = kv.apply(new KvCommand.Increment("text", 1));
        assertEquals(KvResult.Reason.NOT_A_COUNTER, ((KvResult.Rejected) r).reason());
        assertEquals("hello", kv.value("text"));
        kv.apply(new KvCommand.Put("big", b(Long.toString(Long.MAX_VALUE))));
        assertEquals(KvResult.Reason.OVERFLOW, ((KvResult.Rejected) kv.apply(new KvCommand.Increment("big", 1))).reason());
        assertEquals(Long.toString(Long.MAX_VALUE), kv.value("big"));
    }

    @Test
    void scanReturnsPrefixedKeysInOrderUpToTheLimit() {
        for (String k : List.of("b", "ab", "a", "aa/2", "aa/1", "aa", "c")) {
            kv.apply(new KvCommand.Put(k, b(k)));
        }
        KvResult.ScanResult all = (KvResult.ScanResult) kv.apply(new KvCommand.Scan("aa", 10));
        assertEquals(List.of("aa", "aa/1", "aa/2"), all.entries().stream().map(KvResult.Value::key).toList());
        assertFalse(all.more());
        KvResult.ScanResult some = (KvResult.ScanResult) kv.sm.read(new KvCommand.Scan("a", 2));
        assertEquals(List.of("a", "aa"), some.entries().stream().map(KvResult.Value::key).toList());
        assertTrue(some.more());
        KvResult.ScanResult exact = (KvResult.ScanResult) kv.sm.read(new KvCommand.Scan("", 7));
        assertEquals(7, exact.entries().size());
        assertFalse(exact.more());
        assertArrayEquals(b("aa/1"), all.entries().get(1).value());
    }

    @Test
    void scanPagesFollowEachOtherAfterTheLastKeyWithoutGapsOrRepeats() {
        for (String k : List.of("a", "aa", "ab", "ab/1", "ac", "b")) {
            kv.apply(new KvCommand.Put(k, b(k)));
        }
        // Through the log (the codec) and as a local read.
        KvResult.ScanResult first = (KvResult.ScanResult) kv.apply(new KvCommand.Scan("a", null, 2));
        assertEquals(List.of("a", "aa"), first.entries().stream().map(KvResult.Value::key).toList());
        kv.apply(new KvCommand.Delete("aa", null)); // the page's last key may be gone when the next page is asked
        KvResult.ScanResult second = (KvResult.ScanResult) kv.apply(new KvCommand.Scan("a", "aa", 2));
        assertEquals(List.of("ab", "ab/1"), second.entries().stream().map(KvResult.Value::key).toList());
        assertTrue(second.more());
        KvResult.ScanResult last = (KvResult.ScanResult) kv.sm.read(new KvCommand.Scan("a", "ab/1", 2));
        assertEquals(List.of("ac"), last.entries().stream().map(KvResult.Value::key).toList());
        assertFalse(last.more());
        KvResult.ScanResult before = (KvResult.ScanResult) kv.sm.read(new KvCommand.Scan("ab", "a", 5));
        assertEquals(List.of("ab", "ab/1"), before.entries().stream().map(KvResult.Value::key).toList(),
                "an 'after' before the prefix starts at the prefix");
    }

    @Test
    void batchAppliesEverythingAtOneIndex() {
        kv.apply(new KvCommand.Put("x", b("1")));
        kv.apply(new KvCommand.Put("gone", b("1")));
        KvResult r = kv.apply(new KvCommand.Batch(
                List.of(new Condition.VersionEquals("x", 1), new Condition.KeyAbsent("y"), new Condition.KeyExists("gone")),
                List.of(new KvCommand.Put("x", b("2")), new KvCommand.Put("y", b("new")), KvCommand.Delete.of("gone"),
                        new KvCommand.Increment("n", 7))));
        assertEquals(new KvResult.BatchApplied(3, List.of(new KvResult.Written("x", 3, false),
                new KvResult.Written("y", 3, true), new KvResult.Deleted("gone", true, 2, 3),
                new KvResult.Counter("n", 7, 3))), r);
        assertEquals("2", kv.value("x"));
        assertEquals("new", kv.value("y"));
        assertNull(kv.value("gone"));
        assertEquals("7", kv.value("n"));
    }

    @Test
    void batchWithAFailingConditionWritesNothingAndNamesTheCondition() {
        kv.apply(new KvCommand.Put("x", b("1")));
        KvResult r = kv.apply(new KvCommand.Batch(
                List.of(new Condition.KeyExists("x"), new Condition.VersionEquals("x", 7)),
                List.of(new KvCommand.Put("y", b("2")), KvCommand.Delete.of("x"))));
        assertEquals(new KvResult.ConditionFailed(1, new Condition.VersionEquals("x", 7), 1), r);
        assertNull(kv.value("y"));
        assertEquals("1", kv.value("x"));
        assertEquals(new KvResult.ConditionFailed(0, new Condition.KeyExists("nope"), 0), kv.apply(new KvCommand.Batch(
                List.of(new Condition.KeyExists("nope")), List.of(new KvCommand.Put("y", b("2"))))));
        assertNull(kv.value("y"));
    }

    @Test
    void batchWithABadCounterWritesNothing() {
        kv.apply(new KvCommand.Put("text", b("abc")));
        KvResult r = kv.apply(new KvCommand.Batch(List.of(),
                List.of(new KvCommand.Put("a", b("1")), new KvCommand.Increment("text", 1))));
        assertEquals(KvResult.Reason.NOT_A_COUNTER, ((KvResult.Rejected) r).reason());
        assertNull(kv.value("a"));
    }

    @Test
    void noopAndMembershipEntriesAdvanceTheAppliedIndexWithEmptyResults() {
        List<LogEntry> entries = List.of(
                new LogEntry(1, 1, EntryType.NOOP, 0, 0, null),
                new LogEntry(1, 2, EntryType.MEMBERSHIP, 0, 0,
                        Membership.ofVoters("a").toBytes()));
        kv.storage.log().append(entries);
        List<byte[]> results = kv.sm.apply(entries);
        assertEquals(2, results.size());
        assertEquals(0, results.get(0).length);
        assertEquals(2, kv.sm.appliedIndex());
        assertEquals(1, kv.sm.appliedTerm());
    }

    @Test
    void entriesMustContinueAtTheAppliedIndex() {
        kv.apply(new KvCommand.Put("a", b("1")));
        assertInstanceOf(IllegalStateException.class, assertThrows(RuntimeException.class,
                () -> kv.sm.apply(List.of(LogEntry.command(1, 5, KvCodec.encode(
                        new KvCommand.Put("b", b("2"))))))));
        assertEquals(1, kv.sm.appliedIndex());
        assertNull(kv.value("b"));
    }

    @Test
    void malformedPayloadIsRejectedDeterministically() {
        KvResult r = kv.applyRaw(new byte[] {1, 99});
        assertEquals(KvResult.Reason.MALFORMED, ((KvResult.Rejected) r).reason());
        assertEquals(1, kv.sm.appliedIndex());
    }

    @Test
    void readRefusesWrites() {
        assertThrows(IllegalArgumentException.class,
                () -> kv.sm.read(new KvCommand.Put("a", b("1"))));
    }
}
