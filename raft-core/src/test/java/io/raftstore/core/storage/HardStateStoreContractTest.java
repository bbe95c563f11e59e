package io.raftstore.core.storage;

import io.raftstore.core.HardState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@link HardStateStore} contract as executable checks, each quoting the sentence it verifies. An
 * implementation's test extends this class and supplies {@link #newStore()} and {@link #reopen}.
 */
public abstract class HardStateStoreContractTest {

    /** A fresh store that was never written, independent of every store created before. */
    protected abstract HardStateStore newStore();

    /** Simulates a restart: a new store over the same durable data as {@code previous}. */
    protected abstract HardStateStore reopen(HardStateStore previous);

    protected HardStateStore store;

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    // "The last saved state, or HardState.EMPTY for a store that was never written."
    @Test
    void freshStoreLoadsEmpty() {
        assertEquals(HardState.EMPTY, store.load());
    }

    @Test
    void loadReturnsTheLastSavedState() {
        store.save(new HardState(1, "n1", 0));
        store.save(new HardState(2, "n3", 5));
        assertEquals(new HardState(2, "n3", 5), store.load());
    }

    // votedFor is "the candidate it voted for in term, or null".
    @Test
    void noVoteIsKeptAsNull() {
        store.save(new HardState(4, "n2", 1));
        store.save(new HardState(5, null, 3));
        assertEquals(new HardState(5, null, 3), store.load());
    }

    // "save is durable on return"
    @Test
    void savedStateSurvivesARestart() {
        store.save(new HardState(7, "n2", 40));
        store = reopen(store);
        assertEquals(new HardState(7, "n2", 40), store.load());
        store.save(new HardState(8, null, 41));
        store = reopen(store);
        assertEquals(new HardState(8, null, 41), store.load());
    }

    @Test
    void neverWrittenStoreLoadsEmptyAfterARestart() {
        store = reopen(store);
        assertEquals(HardState.EMPTY, store.load());
    }

    // HardState: "incarnation: the identity of this data directory ... never changed after"; caughtUp: "a
    // leader confirmed that this data directory holds every entry it could have acknowledged". A store that
    // dropped either would turn a wiped voter back into one that votes (issue 12, finding 1).
    @Test
    void theIncarnationAndTheCaughtUpFlagSurviveARestart() {
        store.save(HardState.fresh(42));
        store = reopen(store);
        assertEquals(HardState.fresh(42), store.load(), "not caught up yet");
        store.save(new HardState(3, "n1", 9, 42, true));
        store = reopen(store);
        assertEquals(new HardState(3, "n1", 9, 42, true), store.load());
    }

    // Large values round-trip: terms and indexes are longs.
    @Test
    void largeValuesRoundTrip() {
        HardState big = new HardState(Long.MAX_VALUE - 1, "node-with-a-rather-long-identifier", Long.MAX_VALUE);
        store.save(big);
        assertEquals(big, reopen(store).load());
    }
}
