package io.raftstore.core.storage.memory;

import io.raftstore.core.storage.HardStateStore;
import io.raftstore.core.storage.HardStateStoreContractTest;

/** {@link MemoryHardStateStore} against the {@link HardStateStore} contract. */
class MemoryHardStateStoreTest extends HardStateStoreContractTest {
    @Override
    protected HardStateStore newStore() {
        return new MemoryHardStateStore();
    }

    @Override
    protected HardStateStore reopen(HardStateStore previous) {
        return ((MemoryHardStateStore) previous).reopen();
    }
}
