package io.raftstore.storage.h2;

import io.raftstore.core.storage.SnapshotStore;
import io.raftstore.core.storage.SnapshotStoreContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** {@link H2SnapshotStore} against the {@link SnapshotStore} contract. */
class H2SnapshotStoreContractTest extends SnapshotStoreContractTest {
    @TempDir
    Path dir;
    private H2Database db;

    @Override
    protected SnapshotStore newStore() {
        db = H2Database.open(dir, H2StorageConfig.DEFAULT, true);
        return new H2SnapshotStore(db, dir);
    }

    @Override
    protected SnapshotStore reopen(SnapshotStore previous) {
        db.close();
        return newStore();
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }
}
