package io.raftstore.storage.wal;

import io.raftstore.core.storage.LogStore;
import io.raftstore.core.storage.LogStoreContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * {@link WalLogStore} against the {@link LogStore} contract, with segments so small (200 bytes) that nearly
 * every write starts a new one: rolling, restating and deleting segments run in every case.
 */
class WalLogStoreContractTest extends LogStoreContractTest {
    @TempDir
    Path dir;
    private WalStorage wal;

    @Override
    protected LogStore newStore() {
        wal = WalStorage.open(dir, 200, false);
        return wal.log();
    }

    @Override
    protected LogStore reopen(LogStore closed) {
        wal.close();
        return newStore();
    }

    @AfterEach
    void closeLog() {
        wal.close();
    }
}
