package io.raftstore.storage.wal;

import io.raftstore.core.storage.HardStateStore;
import io.raftstore.core.storage.HardStateStoreContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** {@link WalHardStateStore} against the {@link HardStateStore} contract, segments rolling on every save. */
class WalHardStateStoreContractTest extends HardStateStoreContractTest {
    @TempDir
    Path dir;
    private WalStorage wal;

    @Override
    protected HardStateStore newStore() {
        wal = WalStorage.open(dir, 16, false);
        return wal.hardState();
    }

    @Override
    protected HardStateStore reopen(HardStateStore previous) {
        wal.close();
        return newStore();
    }

    @AfterEach
    void closeLog() {
        wal.close();
    }
}
