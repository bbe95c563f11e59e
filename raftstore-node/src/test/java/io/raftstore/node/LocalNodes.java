package io.raftstore.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadFactory;

/**
 * Complete nodes ({@link RunningNode}: H2, key-value state machine, JGroups on 127.0.0.1) of one test in one
 * JVM, started by number and all closed at the end. Nodes 1-3 start the cluster; a higher number names itself
 * among the members it contacts, as a node started to join does.
 */
final class LocalNodes implements AutoCloseable {

    private static final ThreadFactory DAEMONS = r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    };

    private final Path dataRoot;
    private final int basePort;
    private final String clusterName;
    private final Map<Integer, RunningNode> nodes = new TreeMap<>();

    LocalNodes(Path dataRoot, int basePort, String clusterName) {
        this.dataRoot = dataRoot;
        this.basePort = basePort;
        this.clusterName = clusterName;
    }

    String address(int i) {
        return "127.0.0.1:" + (basePort + i);
    }

    /** Starts node {@code i} with these settings on top of id, members, data directory and cluster name. */
    RunningNode start(int i, Map<String, String> settings) throws Exception {
        Map<String, String> m = new HashMap<>(settings);
        m.put(NodeSettings.NODE_ID, "n" + i);
        m.put(NodeSettings.MEMBERS, "n1=" + address(1) + ",n2=" + address(2) + ",n3=" + address(3)
                + (i > 3 ? ",n" + i + "=" + address(i) : ""));
        m.put(NodeSettings.DATA_DIR, dataRoot.resolve("n" + i).toAbsolutePath().toString());
        m.put(NodeSettings.CLUSTER_NAME, clusterName);
        RunningNode node = RunningNode.start(NodeSettings.from(k -> Optional.ofNullable(m.get(k))), DAEMONS);
        nodes.put(i, node);
        return node;
    }

    /** Node {@code i} while it runs, else null. */
    RunningNode get(int i) {
        return nodes.get(i);
    }

    List<RunningNode> running() {
        return new ArrayList<>(nodes.values());
    }

    /** Closes node {@code i} at once (a leader does not hand over first). */
    void stop(int i) {
        RunningNode n = nodes.remove(i);
        if (n != null) {
            n.close();
        }
    }

    @Override
    public void close() {
        nodes.values().forEach(RunningNode::close);
        nodes.clear();
    }
}
