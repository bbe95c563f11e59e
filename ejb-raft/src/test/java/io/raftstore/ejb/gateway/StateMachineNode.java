package io.raftstore.ejb.gateway;

import io.raftstore.api.ReadConsistency;
import io.raftstore.core.EntryType;
import io.raftstore.core.FailureReason;
import io.raftstore.core.LogEntry;
import io.raftstore.kv.KvCodec;
import io.raftstore.kv.KvCommand;
import io.raftstore.kv.KvLimits;
import io.raftstore.kv.KvResult;
import io.raftstore.kv.KvStateMachine;
import io.raftstore.node.RequestFailedException;
import io.raftstore.node.storage.NodeStorage;
import io.raftstore.storage.h2.H2StorageConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * A single-node stand-in for the node bean: writes are applied straight to a real H2 key-value state
 * machine at consecutive indexes, reads are answered from it. {@link #failWith} makes the next calls fail
 * as an unreachable cluster would.
 */
final class StateMachineNode implements KvNode, AutoCloseable {

    private final NodeStorage storage;
    private final KvStateMachine sm;
    private final KvLimits limits;
    private FailureReason failure;
    private int writes;

    StateMachineNode(Path dir) {
        storage = NodeStorage.open(dir, H2StorageConfig.DEFAULT);
        sm = storage.stateMachine();
        limits = KvLimits.DEFAULT;
    }

    void failWith(FailureReason reason) {
        failure = reason;
    }

    private void maybeFail() {
        if (failure != null) {
            throw new RequestFailedException(failure, null, "no quorum answered within 5000 ms");
        }
    }

    @Override
    public synchronized KvResult write(KvCommand command, long clientId, long sequence) {
        maybeFail();
        limits.validate(command);
        writes++;
        LogEntry e = new LogEntry(1, sm.appliedIndex() + 1, EntryType.COMMAND, clientId, sequence, KvCodec.encode(command));
        return KvCodec.decodeResult(sm.apply(List.of(e)).get(0));
    }

    @Override
    public synchronized KvResult read(KvCommand query, ReadConsistency consistency) {
        maybeFail();
        limits.validate(query);
        return sm.read(query);
    }

    /** Writes applied so far. */
    synchronized int writes() {
        return writes;
    }

    @Override
    public KvLimits limits() {
        return limits;
    }

    @Override
    public void close() {
        storage.close();
    }
}
