package io.raftstore.core.sim;

import io.raftstore.core.HardState;
import io.raftstore.core.LogEntry;
import io.raftstore.core.storage.memory.MemoryLogStore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The safety checker catches each deliberately broken invariant, and accepts the legal cases next to it. */
class SafetyCheckerTest {

    private final SafetyChecker checker = new SafetyChecker();

    private static LogEntry e(long term, long index, String data) {
        return LogEntry.command(term, index, data.getBytes());
    }

    private static MemoryLogStore logOf(LogEntry... entries) {
        MemoryLogStore log = new MemoryLogStore();
        log.append(List.of(entries));
        return log;
    }

    private static void assertViolation(String fragment, Runnable r) {
        SafetyViolation v = assertThrows(SafetyViolation.class, r::run);
        assertTrue(v.getMessage().contains(fragment), v.getMessage());
    }

    @Test
    void twoLeadersInOneTermAreCaught() {
        checker.onLeader("n1", 3);
        checker.onLeader("n1", 3);
        checker.onLeader("n2", 4);
        assertViolation("two leaders in term 3", () -> checker.onLeader("n2", 3));
    }

    @Test
    void differentEntriesAppliedAtOneIndexAreCaught() {
        checker.onApply("n1", e(1, 1, "a"), 1);
        checker.onApply("n2", e(1, 1, "a"), 1);
        assertViolation("state machine safety", () -> checker.onApply("n3", e(2, 1, "b"), 2));
    }

    @Test
    void divergingLogsWithTheSameIndexAndTermAreCaught() {
        MemoryLogStore a = logOf(e(1, 1, "x"), e(2, 2, "y"));
        checker.onAppend("n1", a.entries(1, 2, Long.MAX_VALUE), a);
        MemoryLogStore b = logOf(e(1, 1, "x"), e(2, 2, "y"));
        checker.onAppend("n2", b.entries(1, 2, Long.MAX_VALUE), b);
        // Same (index, term), different content.
        MemoryLogStore c = logOf(e(1, 1, "x"), e(2, 2, "z"));
        assertViolation("log matching", () -> checker.onAppend("n3", c.entries(2, 2, Long.MAX_VALUE), c));
        // Same (index, term) and content, but preceded by a different term.
        MemoryLogStore d = logOf(e(3, 1, "w"), e(2, 2, "y"));
        assertViolation("log matching", () -> checker.onAppend("n4", d.entries(2, 2, Long.MAX_VALUE), d));
    }

    @Test
    void overwritingACommittedEntryIsCaughtButReplacingAStaleOneIsNot() {
        checker.onApply("n1", e(1, 1, "a"), 2);
        checker.onApply("n1", e(2, 2, "b"), 2);
        // A deposed leader of term 1 may still write its entry to a follower that never heard of term 2.
        MemoryLogStore old = logOf(e(1, 1, "a"), e(1, 2, "stale"));
        assertDoesNotThrow(() -> checker.onAppend("n4", List.of(e(1, 2, "stale")), old));
        // A follower still holding a stale entry at 2 may replace it with the committed one.
        MemoryLogStore stale = logOf(e(1, 1, "a"), e(1, 2, "old"));
        stale.append(List.of(e(2, 2, "b")));
        assertDoesNotThrow(() -> checker.onAppend("n2", List.of(e(2, 2, "b")), stale));
        MemoryLogStore wrong = logOf(e(1, 1, "a"), e(3, 2, "c"));
        assertViolation("committed entry lost", () -> checker.onAppend("n3", List.of(e(3, 2, "c")), wrong));
    }

    @Test
    void leaderMissingACommittedEntryIsCaught() {
        checker.onApply("n1", e(1, 1, "a"), 1);
        checker.onApply("n1", e(1, 2, "b"), 1);
        assertDoesNotThrow(() -> checker.onBecameLeader("n1", 2, logOf(e(1, 1, "a"), e(1, 2, "b"), e(2, 3, "c"))));
        assertViolation("leader completeness", () -> checker.onBecameLeader("n2", 3, logOf(e(1, 1, "a"))));
        assertViolation("leader completeness",
                () -> checker.onBecameLeader("n3", 4, logOf(e(1, 1, "a"), e(3, 2, "x"))));
    }

    @Test
    void votingTwiceInATermOrGoingBackInTermIsCaught() {
        checker.onHardState("n1", new HardState(2, null, 0));
        checker.onHardState("n1", new HardState(2, "n2", 0));
        checker.onHardState("n1", new HardState(2, "n2", 5));
        assertViolation("changed its vote", () -> checker.onHardState("n1", new HardState(2, "n3", 5)));
        checker.onHardState("n2", new HardState(5, "n2", 0));
        assertViolation("after term 5", () -> checker.onHardState("n2", new HardState(4, null, 0)));
    }

    @Test
    void snapshotAtAnUncommittedPositionIsCaught() {
        checker.onApply("n1", e(1, 1, "a"), 1);
        assertDoesNotThrow(() -> checker.onRestore("n2", 1, 1));
        assertViolation("restored a snapshot", () -> checker.onRestore("n2", 1, 2));
        assertViolation("restored a snapshot", () -> checker.onRestore("n2", 5, 1));
    }
}
