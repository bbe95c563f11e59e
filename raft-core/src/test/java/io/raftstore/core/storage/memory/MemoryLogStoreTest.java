package io.raftstore.core.storage.memory;

import io.raftstore.core.storage.LogStore;
import io.raftstore.core.storage.LogStoreContractTest;

/** {@link MemoryLogStore} against the {@link LogStore} contract. */
class MemoryLogStoreTest extends LogStoreContractTest {
    @Override
    protected LogStore newStore() {
        return new MemoryLogStore();
    }

    @Override
    protected LogStore reopen(LogStore closed) {
        return ((MemoryLogStore) closed).reopen();
    }
}
