package io.raftstore.node;

import io.raftstore.core.Ready;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.StateMachine;
import io.raftstore.core.storage.RaftStorage;
import io.raftstore.core.storage.SnapshotSink;
import io.raftstore.core.storage.StorageException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Writes the snapshot chunks a leader sends into the snapshot store, and installs a complete one: commit
 * it, restore the state machine from it, restart the log after it (Ready's step 1). Event loop only.
 */
final class SnapshotReceiver {

    private final RaftStorage storage;
    private final StateMachine stateMachine;
    private SnapshotSink sink;

    SnapshotReceiver(RaftStorage storage, StateMachine stateMachine) {
        this.storage = storage;
        this.stateMachine = stateMachine;
    }

    void write(Ready.SnapshotChunk chunk) {
        if (chunk.offset() == 0) {
            abandon();
            sink = storage.snapshots().begin(chunk.meta());
        }
        if (sink == null || !sink.meta().equals(chunk.meta()) || sink.written() != chunk.offset()) {
            throw new StorageException("snapshot chunk at offset " + chunk.offset() + " of " + chunk.meta()
                    + " does not continue the snapshot being received");
        }
        try {
            sink.stream().write(chunk.data());
        } catch (IOException e) {
            throw new UncheckedIOException("writing a received snapshot chunk", e);
        }
    }

    void install(SnapshotMeta meta) {
        if (sink == null || !sink.meta().equals(meta)) {
            throw new StorageException("asked to install " + meta + " but it was not received");
        }
        sink.commit();
        sink.close();
        sink = null;
        try (InputStream in = storage.snapshots().open(meta)) {
            stateMachine.restore(meta, in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading snapshot " + meta, e);
        }
        storage.log().reset(meta.index(), meta.term());
    }

    void abandon() {
        if (sink != null) {
            sink.close();
            sink = null;
        }
    }
}
