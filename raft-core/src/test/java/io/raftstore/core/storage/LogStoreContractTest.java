package io.raftstore.core.storage;

import io.raftstore.core.EntryType;
import io.raftstore.core.LogEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link LogStore} contract as executable checks. Each test quotes the sentence of the contract's
 * Javadoc it verifies. An implementation's test extends this class and supplies {@link #newStore()} and
 * {@link #reopen(LogStore)}.
 */
public abstract class LogStoreContractTest {

    /** A fresh, empty store, independent of every store created before. */
    protected abstract LogStore newStore();

    /**
     * Simulates a restart: {@code closed} has been {@link LogStore#close() closed}; return a new store over
     * the same durable data.
     */
    protected abstract LogStore reopen(LogStore closed);

    protected LogStore store;

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** Entries [from, to] with the given term and a payload that names the index. */
    protected static List<LogEntry> entries(long from, long to, long term) {
        List<LogEntry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(new LogEntry(term, i, EntryType.COMMAND, 7, i, ("v" + i + "t" + term).getBytes()));
        }
        return out;
    }

    protected final void restart() {
        store.close();
        store = reopen(store);
    }

    // "A fresh store is empty: firstIndex() == 1, lastIndex() == 0, term(0) == 0."
    @Test
    void freshStoreIsEmpty() {
        assertEquals(1, store.firstIndex());
        assertEquals(0, store.lastIndex());
        assertEquals(0, store.term(0));
    }

    // "Appends contiguous entries whose first index is at most lastIndex() + 1"
    @Test
    void appendExtendsTheLog() {
        store.append(entries(1, 3, 1));
        store.append(entries(4, 5, 2));
        assertEquals(1, store.firstIndex());
        assertEquals(5, store.lastIndex());
        assertEquals(1, store.term(3));
        assertEquals(2, store.term(5));
        assertEquals(entries(4, 5, 2), store.entries(4, 5, Long.MAX_VALUE));
        assertEquals(5, store.entries(1, 5, Long.MAX_VALUE).size());
    }

    // Entries come back exactly as appended: every field, including an empty payload and sessions.
    @Test
    void entriesKeepEveryField() {
        List<LogEntry> batch = List.of(new LogEntry(1, 1, EntryType.NOOP, 0, 0, new byte[0]),
                new LogEntry(1, 2, EntryType.MEMBERSHIP, 0, 0, new byte[] {1, 2, 3}),
                new LogEntry(2, 3, EntryType.COMMAND, Long.MAX_VALUE, 99, new byte[70_000]));
        store.append(batch);
        assertEquals(batch, store.entries(1, 3, Long.MAX_VALUE));
    }

    // "first deleting every held entry at or after that index (a conflicting suffix)"
    @Test
    void appendReplacesAConflictingSuffix() {
        store.append(entries(1, 10, 1));
        store.append(entries(6, 7, 3));
        assertEquals(7, store.lastIndex());
        assertEquals(3, store.term(6));
        assertEquals(entries(1, 5, 1), store.entries(1, 5, Long.MAX_VALUE));
        assertEquals(entries(6, 7, 3), store.entries(6, 7, Long.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> store.term(8));
    }

    // "whose first index is at most lastIndex() + 1" — and "no gap" even when a caller gets it wrong.
    @Test
    void appendThatWouldLeaveAGapIsRefusedAndChangesNothing() {
        store.append(entries(1, 3, 1));
        assertThrows(RuntimeException.class, () -> store.append(entries(5, 6, 1)));
        assertEquals(3, store.lastIndex());
        assertEquals(entries(1, 3, 1), store.entries(1, 3, Long.MAX_VALUE));
    }

    // Appending nothing is allowed and changes nothing.
    @Test
    void emptyAppendIsANoOp() {
        store.append(entries(1, 2, 1));
        store.append(List.of());
        assertEquals(2, store.lastIndex());
    }

    // "Term of the entry at index, for firstIndex() - 1 <= index <= lastIndex()"
    // "@throws IllegalArgumentException when index > lastIndex()"
    @Test
    void termPastTheEndIsRefused() {
        store.append(entries(1, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> store.term(3));
    }

    // "stopping early once maxBytes would be exceeded; always returns at least one entry when the range is
    // not empty"
    @Test
    void entriesStopAtTheByteBudgetButReturnAtLeastOne() {
        store.append(entries(1, 10, 1));
        int one = store.entries(1, 1, Long.MAX_VALUE).get(0).sizeInBytes();
        assertEquals(1, store.entries(1, 10, 1).size());
        assertEquals(1, store.entries(1, 10, 0).size());
        assertEquals(3, store.entries(1, 10, 3L * one).size());
        assertEquals(3, store.entries(1, 10, 4L * one - 1).size());
        assertEquals(10, store.entries(1, 10, Long.MAX_VALUE).size());
        assertEquals(entries(4, 6, 1), store.entries(4, 6, Long.MAX_VALUE));
    }

    // An empty range [from, from - 1] returns no entries.
    @Test
    void emptyRangeReturnsNothing() {
        store.append(entries(1, 3, 1));
        assertTrue(store.entries(4, 3, Long.MAX_VALUE).isEmpty());
    }

    // "Discards entries up to and including upToIndex ... term(upToIndex) stays answerable."
    // "firstIndex(): the compaction point plus one."
    @Test
    void compactDiscardsThePrefixAndKeepsTheTermOfTheCompactionPoint() {
        store.append(entries(1, 5, 1));
        store.append(entries(6, 10, 2));
        store.compact(6);
        assertEquals(7, store.firstIndex());
        assertEquals(10, store.lastIndex());
        assertEquals(2, store.term(6));
        assertEquals(entries(7, 10, 2), store.entries(7, 10, Long.MAX_VALUE));
    }

    // "@throws CompactedException when index < firstIndex() - 1" and "when from < firstIndex()"
    @Test
    void compactedPositionsThrowCompactedException() {
        store.append(entries(1, 10, 1));
        store.compact(5);
        assertThrows(CompactedException.class, () -> store.term(4));
        assertThrows(CompactedException.class, () -> store.term(1));
        assertThrows(CompactedException.class, () -> store.entries(5, 7, Long.MAX_VALUE));
        assertThrows(CompactedException.class, () -> store.entries(1, 10, Long.MAX_VALUE));
    }

    // "lastIndex(): equals firstIndex() - 1 when no entry is held" — compacting everything.
    @Test
    void compactingEverythingLeavesAnEmptyLogThatCanGrow() {
        store.append(entries(1, 4, 3));
        store.compact(4);
        assertEquals(5, store.firstIndex());
        assertEquals(4, store.lastIndex());
        assertEquals(3, store.term(4));
        store.append(entries(5, 6, 4));
        assertEquals(entries(5, 6, 4), store.entries(5, 6, Long.MAX_VALUE));
    }

    // "which must be held or be the compaction point": compacting at the compaction point changes nothing.
    @Test
    void compactingAtTheCompactionPointIsANoOp() {
        store.append(entries(1, 4, 1));
        store.compact(2);
        store.compact(2);
        assertEquals(3, store.firstIndex());
        assertEquals(1, store.term(2));
        assertEquals(entries(3, 4, 1), store.entries(3, 4, Long.MAX_VALUE));
    }

    // A conflicting suffix may start right after the compaction point.
    @Test
    void appendRightAfterTheCompactionPointReplacesTheRest() {
        store.append(entries(1, 6, 1));
        store.compact(3);
        store.append(entries(4, 5, 2));
        assertEquals(5, store.lastIndex());
        assertEquals(entries(4, 5, 2), store.entries(4, 5, Long.MAX_VALUE));
    }

    // "afterwards firstIndex() == snapshotIndex + 1, lastIndex() == snapshotIndex and term(snapshotIndex) ==
    // snapshotTerm"
    @Test
    void resetRestartsTheLogAfterASnapshot() {
        store.append(entries(1, 5, 1));
        store.reset(20, 4);
        assertEquals(21, store.firstIndex());
        assertEquals(20, store.lastIndex());
        assertEquals(4, store.term(20));
        assertThrows(CompactedException.class, () -> store.term(19));
        store.append(entries(21, 22, 5));
        assertEquals(22, store.lastIndex());
    }

    // "Discards every entry" — also when the snapshot is behind the log's end.
    @Test
    void resetBehindTheEndDiscardsEverything() {
        store.append(entries(1, 10, 2));
        store.reset(3, 1);
        assertEquals(4, store.firstIndex());
        assertEquals(3, store.lastIndex());
        assertEquals(1, store.term(3));
    }

    // "append, compact and reset are durable when they return: a crash afterwards never loses what they wrote"
    @Test
    void appendSurvivesARestart() {
        store.append(entries(1, 5, 1));
        store.append(entries(4, 6, 2));
        restart();
        assertEquals(1, store.firstIndex());
        assertEquals(6, store.lastIndex());
        assertEquals(entries(1, 3, 1), store.entries(1, 3, Long.MAX_VALUE));
        assertEquals(entries(4, 6, 2), store.entries(4, 6, Long.MAX_VALUE));
    }

    @Test
    void compactSurvivesARestart() {
        store.append(entries(1, 8, 3));
        store.compact(5);
        restart();
        assertEquals(6, store.firstIndex());
        assertEquals(8, store.lastIndex());
        assertEquals(3, store.term(5));
        assertThrows(CompactedException.class, () -> store.term(4));
        assertEquals(entries(6, 8, 3), store.entries(6, 8, Long.MAX_VALUE));
    }

    @Test
    void resetSurvivesARestart() {
        store.append(entries(1, 3, 1));
        store.reset(50, 7);
        restart();
        assertEquals(51, store.firstIndex());
        assertEquals(50, store.lastIndex());
        assertEquals(7, store.term(50));
    }

    // A fresh store stays a fresh store across a restart.
    @Test
    void emptyStoreSurvivesARestart() {
        restart();
        assertEquals(1, store.firstIndex());
        assertEquals(0, store.lastIndex());
        assertEquals(0, store.term(0));
    }
}
