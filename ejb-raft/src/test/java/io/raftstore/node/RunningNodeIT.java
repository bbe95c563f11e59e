package io.raftstore.node;

import io.raftstore.core.NodeStatus;
import io.raftstore.core.ReadConsistency;
import io.raftstore.core.Role;
import io.raftstore.kv.KvCommand;
import io.raftstore.kv.KvResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Three complete nodes (H2 storage, key-value state machine, JGroups) in one JVM with a tiny snapshot
 * threshold: a node that was away while the log was compacted past it catches up by snapshot.
 */
class RunningNodeIT {

    private static final int BASE_PORT = 17830;
    private static final ThreadFactory DAEMONS = r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    };

    @TempDir
    Path dataRoot;
    private final RunningNode[] nodes = new RunningNode[3];

    @AfterEach
    void closeAll() {
        for (RunningNode n : nodes) {
            if (n != null) {
                n.close();
            }
        }
    }

    private RunningNode start(int i) throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put(NodeSettings.NODE_ID, "n" + i);
        m.put(NodeSettings.MEMBERS, "n1=127.0.0.1:" + (BASE_PORT + 1) + ",n2=127.0.0.1:" + (BASE_PORT + 2)
                + ",n3=127.0.0.1:" + (BASE_PORT + 3));
        m.put(NodeSettings.DATA_DIR, dataRoot.resolve("n" + i).toAbsolutePath().toString());
        m.put(NodeSettings.CLUSTER_NAME, "running-node-it");
        m.put(NodeSettings.SNAPSHOT_ENTRIES, "20");
        nodes[i - 1] = RunningNode.start(NodeSettings.from(k -> Optional.ofNullable(m.get(k))), DAEMONS);
        return nodes[i - 1];
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aNodeBehindACompactedLogCatchesUpBySnapshot() throws Exception {
        RunningNode n1 = start(1);
        start(2);
        RunningNode n3 = start(3);
        await("a leader known to all", () -> {
            for (RunningNode n : nodes) {
                if (n.status().leaderId() == null) {
                    return false;
                }
            }
            return true;
        });
        KvResult first = n3.write(new KvCommand.Put("k0", bytes("v0")), 0, 0);
        assertInstanceOf(KvResult.Written.class, first);

        n3.close();
        nodes[2] = null;
        for (int i = 1; i <= 100; i++) {
            n1.write(new KvCommand.Put("k" + i, bytes("v" + i)), 0, 0);
        }
        RunningNode leader = n1.status().role() == Role.LEADER ? n1 : nodes[1];
        NodeStatus s = leader.status();
        assertTrue(s.firstIndex() > 20, "the leader compacted its log, first index " + s.firstIndex());

        RunningNode back = start(3);
        await("n3 to catch up", () -> back.status().appliedIndex() >= s.commitIndex());
        KvResult last = back.read(new KvCommand.Get("k100"), ReadConsistency.LINEARIZABLE);
        assertArrayEquals(bytes("v100"), assertInstanceOf(KvResult.Value.class, last).value());
        KvResult early = back.read(new KvCommand.Get("k0"), ReadConsistency.STALE);
        assertArrayEquals(bytes("v0"), assertInstanceOf(KvResult.Value.class, early).value());
        System.out.println("RunningNodeIT: n3 caught up to " + back.status().appliedIndex() + " by snapshot; leader log starts at "
                + s.firstIndex());
    }
}
