package io.raftstore.storage.h2;

import io.raftstore.core.storage.LogStore;
import io.raftstore.core.storage.LogStoreContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** {@link H2LogStore} against the {@link LogStore} contract; a restart closes and reopens the H2 file. */
class H2LogStoreContractTest extends LogStoreContractTest {
    @TempDir
    Path dir;
    private H2Database db;

    @Override
    protected LogStore newStore() {
        db = H2Database.open(dir, H2StorageConfig.DEFAULT, true);
        return new H2LogStore(db);
    }

    @Override
    protected LogStore reopen(LogStore closed) {
        db.close();
        return newStore();
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }
}
