package io.raftstore.storage.h2;

import io.raftstore.core.storage.HardStateStore;
import io.raftstore.core.storage.HardStateStoreContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** {@link H2HardStateStore} against the {@link HardStateStore} contract. */
class H2HardStateStoreContractTest extends HardStateStoreContractTest {
    @TempDir
    Path dir;
    private H2Database db;

    @Override
    protected HardStateStore newStore() {
        db = H2Database.open(dir, H2StorageConfig.DEFAULT, true);
        return new H2HardStateStore(db);
    }

    @Override
    protected HardStateStore reopen(HardStateStore previous) {
        db.close();
        return newStore();
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }
}
