package io.raftstore.core;

import io.raftstore.core.storage.RaftStorage;
import io.raftstore.core.storage.memory.MemoryHardStateStore;
import io.raftstore.core.storage.memory.MemoryLogStore;
import io.raftstore.core.storage.memory.MemorySnapshotStore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IncarnationTest {

    private static RaftStorage storage() {
        return new RaftStorage(new MemoryLogStore(), new MemoryHardStateStore(), new MemorySnapshotStore());
    }

    @Test
    void anEmptyDataDirectoryBecomesANewIncarnationThatIsNotCaughtUp() {
        RaftStorage s = storage();
        assertEquals(HardState.fresh(42), Incarnation.ensure(s, () -> 42));
        assertEquals(HardState.fresh(42), s.hardState().load(), "saved before the engine opens it");
        assertEquals(HardState.fresh(42), Incarnation.ensure(s, () -> 7), "kept once it has one");
    }

    @Test
    void stateFromBeforeIncarnationsKeepsItsContentAndCountsAsCaughtUp() {
        RaftStorage s = storage();
        s.log().append(List.of(LogEntry.command(1, 1, new byte[0])));
        s.hardState().save(new HardState(3, "n2", 1));
        assertEquals(new HardState(3, "n2", 1, 9, true), Incarnation.ensure(s, () -> 9));
    }

    @Test
    void aRestoredDirectoryBecomesANewIncarnationWithItsLogButWithoutItsVote() {
        RaftStorage s = storage();
        s.log().append(List.of(LogEntry.command(1, 1, new byte[0])));
        s.hardState().save(new HardState(5, "n2", 1, 9, true));
        long[] offered = {9, 0, 11};
        int[] next = {0};
        HardState renewed = Incarnation.renew(s, () -> offered[next[0]++]);
        assertEquals(new HardState(5, null, 1, 11, false), renewed, "the old incarnation and 0 are not taken");
        assertEquals(renewed, s.hardState().load(), "saved before the engine opens it");
        assertEquals(1, s.log().lastIndex(), "the log stays");
        assertEquals(renewed, Incarnation.ensure(s, () -> 3), "ensure keeps the renewed one");
    }
}
