package io.raftstore.core.storage.memory;

import io.raftstore.core.HardState;
import io.raftstore.core.storage.HardStateStore;

import java.util.Objects;

/** A {@link HardStateStore} in a field; {@link #reopen()} stands for a restart. */
public final class MemoryHardStateStore implements HardStateStore {

    private volatile HardState state = HardState.EMPTY;

    public MemoryHardStateStore() {
    }

    /** A new store holding what this one saved last, as after a restart. */
    public MemoryHardStateStore reopen() {
        MemoryHardStateStore copy = new MemoryHardStateStore();
        copy.state = state;
        return copy;
    }

    @Override
    public HardState load() {
        return state;
    }

    @Override
    public void save(HardState newState) {
        state = Objects.requireNonNull(newState, "state");
    }
}
