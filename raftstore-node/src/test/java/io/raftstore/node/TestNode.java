package io.raftstore.node;

import io.raftstore.core.Membership;
import io.raftstore.core.RaftConfig;
import io.raftstore.core.storage.RaftStorage;
import io.raftstore.node.history.H2FailoverHistory;
import io.raftstore.storage.h2.H2Database;
import io.raftstore.storage.h2.H2SnapshotStore;
import io.raftstore.storage.h2.H2StorageConfig;
import io.raftstore.storage.wal.WalStorage;
import io.raftstore.transport.jgroups.JGroupsSettings;
import io.raftstore.transport.jgroups.JGroupsTransport;
import io.raftstore.transport.jgroups.PeerAddress;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/** One node of the in-JVM cluster: real H2 files, a real JGroups channel, a NodeDriver. */
final class TestNode implements AutoCloseable {

    final String id;
    final RegisterMachine machine = new RegisterMachine();
    final NodeDriver driver;
    private final JGroupsTransport transport;
    private final H2Database db;
    private final WalStorage wal;
    private final H2FailoverHistory history;
    private boolean closed;

    TestNode(String id, List<PeerAddress> members, Path dataDir, long seed) throws Exception {
        this.id = id;
        PeerAddress self = members.stream().filter(m -> m.nodeId().equals(id)).findFirst().orElseThrow();
        db = H2Database.open(dataDir, H2StorageConfig.DEFAULT, true);
        wal = WalStorage.open(dataDir.resolve(WalStorage.DIRECTORY), WalStorage.DEFAULT_SEGMENT_BYTES, false);
        RaftStorage storage = new RaftStorage(wal.log(), wal.hardState(), new H2SnapshotStore(db, dataDir));
        history = new H2FailoverHistory(dataDir, 100);
        transport = new JGroupsTransport(new JGroupsSettings("cluster-it", self, members, 1000), null);
        Membership voters = new Membership(
                new TreeSet<>(members.stream().map(PeerAddress::nodeId).toList()), Set.of());
        driver = new NodeDriver(RaftConfig.defaults(id, voters), storage, machine, transport, history,
                DriverSettings.DEFAULTS, r -> {
                    Thread t = new Thread(r);
                    t.setDaemon(true);
                    return t;
                }, new SplittableRandom(seed)).persistInOneTransaction(wal::write);
        driver.start();
    }

    /** Dies like kill -9: the channel drops without leaving, the loop stops, nothing is handed over. */
    void crash() {
        transport.crash();
        close();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        driver.close();
        history.close();
        wal.close();
        db.close();
    }
}
