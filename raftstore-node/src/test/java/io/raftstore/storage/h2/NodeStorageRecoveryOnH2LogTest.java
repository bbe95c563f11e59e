package io.raftstore.storage.h2;

import io.raftstore.storage.LogStoreKind;

/** {@link NodeStorageRecoveryTest} with the Raft log in the node's H2 database ({@code raftstore.log.store=h2}). */
class NodeStorageRecoveryOnH2LogTest extends NodeStorageRecoveryTest {
    @Override
    protected H2StorageConfig config() {
        return H2StorageConfig.DEFAULT.withLogStore(LogStoreKind.H2);
    }
}
