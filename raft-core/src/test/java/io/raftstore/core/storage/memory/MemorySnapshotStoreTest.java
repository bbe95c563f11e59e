package io.raftstore.core.storage.memory;

import io.raftstore.core.storage.SnapshotStore;
import io.raftstore.core.storage.SnapshotStoreContractTest;

/** {@link MemorySnapshotStore} against the {@link SnapshotStore} contract. */
class MemorySnapshotStoreTest extends SnapshotStoreContractTest {
    @Override
    protected SnapshotStore newStore() {
        return new MemorySnapshotStore();
    }

    @Override
    protected SnapshotStore reopen(SnapshotStore previous) {
        return ((MemorySnapshotStore) previous).reopen();
    }
}
