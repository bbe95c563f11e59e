package io.raftstore.ejb.gateway;

import io.raftstore.core.EntryType;
import io.raftstore.core.FailureReason;
import io.raftstore.core.LogEntry;
import io.raftstore.core.NodeStatus;
import io.raftstore.core.ReadConsistency;
import io.raftstore.ejb.RaftStoreLocal;
import io.raftstore.kv.KvCodec;
import io.raftstore.kv.KvCommand;
import io.raftstore.kv.KvLimits;
import io.raftstore.kv.KvResult;
import io.raftstore.kv.KvStateMachine;
import io.raftstore.node.RequestFailedException;
import io.raftstore.node.history.FailoverEvent;
import io.raftstore.node.storage.NodeStorage;
import io.raftstore.storage.h2.H2StorageConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A single-node stand-in for the node bean: writes are applied straight to a real H2 key-value state
 * machine at consecutive indexes, reads are answered from it. {@link #failWith} makes the next calls fail
 * as an unreachable cluster would.
 */
final class StateMachineNode implements RaftStoreLocal, AutoCloseable {

    private final NodeStorage storage;
    private final KvStateMachine sm;
    private final KvLimits limits;
    private FailureReason failure;
    int writes;

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

    @Override
    public KvLimits limits() {
        return limits;
    }

    @Override
    public NodeStatus status() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Set<String> reachablePeers() {
        return Set.of();
    }

    @Override
    public Map<String, io.raftstore.node.MemberAddress> members() {
        return Map.of();
    }

    @Override
    public io.raftstore.node.SnapshotReport snapshotNow() {
        throw new UnsupportedOperationException("the gateway tests never snapshot");
    }

    @Override
    public io.raftstore.core.Membership addLearner(String nodeId, io.raftstore.node.MemberAddress address) {
        throw new UnsupportedOperationException("the gateway tests never change membership");
    }

    @Override
    public io.raftstore.core.Membership promote(String nodeId) {
        throw new UnsupportedOperationException("the gateway tests never change membership");
    }

    @Override
    public io.raftstore.core.Membership removeMember(String nodeId) {
        throw new UnsupportedOperationException("the gateway tests never change membership");
    }

    @Override
    public List<FailoverEvent> history(int limit) {
        return List.of();
    }

    @Override
    public String transferLeadership(String target) {
        return null;
    }

    @Override
    public void backup(java.nio.file.Path target) {
        throw new UnsupportedOperationException("the gateway tests never take backups");
    }

    @Override
    public boolean started() {
        return true;
    }

    @Override
    public boolean live() {
        return true;
    }

    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public String startupFailure() {
        return null;
    }

    @Override
    public void close() {
        storage.close();
    }
}
