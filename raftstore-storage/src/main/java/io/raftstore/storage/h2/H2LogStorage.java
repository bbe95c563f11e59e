package io.raftstore.storage.h2;

import io.raftstore.storage.LogStorage;
import io.raftstore.storage.LogStoreKind;

import java.nio.file.Path;
import java.util.List;

/**
 * The Raft log and hard state in maps of the node's H2 database ({@link LogStoreKind#H2}): every write is an
 * H2 transaction, and a forced one is one commit and one fsync of the database file, which also carries the
 * snapshot records. Where the write-ahead log appends one frame, H2 rewrites the B-tree pages the entries touch
 * and its chunk metadata; docs/storage.md has the figures.
 */
final class H2LogStorage implements LogStorage {
    private final H2Database db;
    private final H2LogStore log;
    private final H2HardStateStore hardState;

    H2LogStorage(H2Database db) {
        this.db = db;
        this.log = new H2LogStore(db);
        this.hardState = new H2HardStateStore(db);
    }

    @Override
    public H2LogStore log() {
        return log;
    }

    @Override
    public H2HardStateStore hardState() {
        return hardState;
    }

    /**
     * One H2 transaction; unforced, it is left for the database's next commit (any forced write, a snapshot's
     * record), which a crash before it takes back.
     */
    @Override
    public void write(Runnable writes, boolean force) {
        if (force) {
            db.write(writes);
        } else {
            db.writeDeferred(() -> {
                writes.run();
                return null;
            });
        }
    }

    @Override
    public void quiesced(Runnable action) {
        db.quiesced(action);
    }

    /** None: the log is inside the database file. */
    @Override
    public List<Path> files() {
        return List.of();
    }

    @Override
    public LogStoreKind kind() {
        return LogStoreKind.H2;
    }

    /** Nothing of its own to close: the database belongs to whoever opened it. */
    @Override
    public void close() {
    }
}
