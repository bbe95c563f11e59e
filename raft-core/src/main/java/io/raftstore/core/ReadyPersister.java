package io.raftstore.core;

import io.raftstore.core.storage.RaftStorage;
import io.raftstore.core.storage.SnapshotSink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Step 1 of the {@link Ready} checklist, shared by every driver: writes entries, hard state and received
 * snapshot chunks to a node's {@link RaftStorage}, and installs a completed snapshot into the
 * {@link StateMachine}. Keeps the snapshot being received across Readies. Not thread-safe.
 *
 * <p>The order matters twice. A snapshot is installed before entries are appended, because entries of the
 * same Ready may follow it (an AppendEntries stepped right after the last chunk) and resetting the log
 * afterwards would discard them. Entries are written before the hard state, because the hard state's
 * commit index may cover entries of the same Ready, and a crash between the two writes must never leave a
 * commit index pointing at stale entries. Drivers whose storage can write everything in one transaction
 * may do so instead.
 */
public final class ReadyPersister {
    private final RaftStorage storage;
    private final StateMachine stateMachine;
    private SnapshotSink receiving;

    public ReadyPersister(RaftStorage storage, StateMachine stateMachine) {
        this.storage = storage;
        this.stateMachine = stateMachine;
    }

    /** Persists everything the Ready asks for; on return it is durable and messages may be sent. */
    public void persist(Ready ready) {
        for (Ready.SnapshotChunk chunk : ready.snapshotChunks()) {
            writeChunk(chunk);
        }
        if (ready.snapshotToInstall() != null) {
            install(ready.snapshotToInstall());
        }
        if (!ready.entries().isEmpty()) {
            storage.log().append(ready.entries());
        }
        if (ready.hardState() != null) {
            storage.hardState().save(ready.hardState());
        }
    }

    private void writeChunk(Ready.SnapshotChunk chunk) {
        if (chunk.offset() == 0) {
            closeReceiving();
            receiving = storage.snapshots().begin(chunk.meta());
        }
        try {
            receiving.stream().write(chunk.data());
        } catch (IOException e) {
            throw new UncheckedIOException("writing a received snapshot chunk failed", e);
        }
        if (chunk.done()) {
            receiving.commit();
            closeReceiving();
        }
    }

    /**
     * Finishes a snapshot installation a crash interrupted: when the latest snapshot is ahead of the state
     * machine, restores from it and restarts the log after it. Call before constructing the {@link RaftNode}.
     */
    public void recover() {
        // At or after the applied index: a driver may have restored the state itself and crashed before
        // the log was reset, leaving a log that does not continue the snapshot.
        storage.snapshots().latest().filter(meta -> meta.index() >= stateMachine.appliedIndex()).ifPresent(meta -> {
            if (meta.index() > stateMachine.appliedIndex()) {
                restore(meta);
            }
            // Keep a log that already continues the snapshot (a state machine rebuilt from a locally taken
            // snapshot): its later entries may be acknowledged. Only a log that does not hold the
            // snapshot's last entry is left over from an interrupted install and restarts after it.
            var log = storage.log();
            boolean continues = meta.index() <= log.lastIndex() && meta.index() >= log.firstIndex() - 1
                    && log.term(meta.index()) == meta.term();
            if (!continues) {
                log.reset(meta.index(), meta.term());
            }
        });
    }

    private void install(SnapshotMeta meta) {
        restore(meta);
        storage.log().reset(meta.index(), meta.term());
    }

    private void restore(SnapshotMeta meta) {
        try (InputStream in = storage.snapshots().open(meta)) {
            stateMachine.restore(meta, in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading snapshot " + meta.index() + " failed", e);
        }
    }

    private void closeReceiving() {
        if (receiving != null) {
            receiving.close();
            receiving = null;
        }
    }

    /**
     * True while a snapshot from the leader is being received. A store holds one unfinished snapshot, so a
     * local one begun now would abandon it and the next chunk would fail: take none until this is false.
     */
    public boolean receivingSnapshot() {
        return receiving != null;
    }

    /**
     * Takes a snapshot of the state machine at its applied index and compacts the log up to it, keeping
     * {@code keepEntries} entries before that point so slightly lagging followers still catch up from
     * the log.
     *
     * @throws IllegalStateException while {@link #receivingSnapshot()}
     */
    public SnapshotMeta snapshotAndCompact(RaftNode node, long keepEntries) {
        if (receivingSnapshot()) {
            throw new IllegalStateException("a snapshot from the leader is being received; a local snapshot now"
                    + " would abandon it");
        }
        SnapshotMeta meta = node.snapshotMetaAt(stateMachine.appliedIndex());
        try (SnapshotSink sink = storage.snapshots().begin(meta)) {
            stateMachine.writeSnapshot(sink.stream());
            sink.commit();
        }
        long compactTo = meta.index() - keepEntries;
        if (compactTo >= storage.log().firstIndex()) {
            storage.log().compact(compactTo);
        }
        return meta;
    }
}
