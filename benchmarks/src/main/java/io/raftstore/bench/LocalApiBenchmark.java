package io.raftstore.bench;

import io.raftstore.core.ReadConsistency;
import io.raftstore.core.Role;
import io.raftstore.kv.KvCommand;
import io.raftstore.kv.KvResult;
import io.raftstore.node.NodeSettings;
import io.raftstore.node.RunningNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Closed-loop writes through the node's local API ({@link RunningNode#write}, what the EJB and the JCA
 * adapter call) on a 3-node cluster inside this one JVM: real JGroups channels over 127.0.0.1, real H2
 * files with fsync, the Liberty defaults for ticks and timeouts. The clients call the leader, as an
 * application deployed on the leader's server would ({@code follower} as 5th argument: on a follower,
 * which forwards to the leader). Data lives in a fresh temporary directory, deleted at the end.
 * {@code -Dbench.read=linearizable|lease|stale} measures reads of that consistency instead, of keys all
 * written once before the first run.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.raftstore.bench.LocalApiBenchmark
 * 1,16,64 5 20 19910 [leader|follower]}; other node settings as system properties, e.g.
 * {@code -Draftstore.snapshot.entries=1000000}.
 */
public final class LocalApiBenchmark {

    private LocalApiBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ClosedLoopLoad.Plan plan = ClosedLoopLoad.Plan.fromArgs(args, 0);
        int basePort = args.length > 3 ? Integer.parseInt(args[3]) : 19910;
        boolean onFollower = args.length > 4 && args[4].equals("follower");
        Path dir = Files.createTempDirectory("raftstore-local-bench");
        List<RunningNode> nodes = new ArrayList<>();
        Thread cleanup = new Thread(() -> { // a run stopped by a signal (timeout, Ctrl-C) skips the finally below
            try {
                deleteTree(dir);
            } catch (IOException | UncheckedIOException e) {
                System.err.println("could not delete " + dir + ": " + e);
            }
        });
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            String members = "n1=127.0.0.1:" + (basePort + 1) + ",n2=127.0.0.1:" + (basePort + 2)
                    + ",n3=127.0.0.1:" + (basePort + 3);
            for (int i = 1; i <= 3; i++) {
                Map<String, String> config = Map.of(NodeSettings.NODE_ID, "n" + i, NodeSettings.MEMBERS, members,
                        NodeSettings.DATA_DIR, dir.resolve("n" + i).toString(),
                        NodeSettings.CLUSTER_NAME, "local-bench-" + basePort);
                // Any other setting from a system property (-Draftstore.snapshot.entries=...), to compare variants.
                nodes.add(RunningNode.start(NodeSettings.from(k -> Optional.ofNullable(config.get(k))
                        .or(() -> Optional.ofNullable(System.getProperty(k)))), Thread::new));
            }
            RunningNode client = pick(nodes, onFollower);
            System.out.println("clients on " + client.settings().nodeId() + (onFollower ? " (a follower)" : " (the leader)"));
            ClosedLoopLoad.Write put = (key, value) -> client.write(new KvCommand.Put(key, value), 0, 0) != null;
            String read = System.getProperty("bench.read");
            if (read == null) {
                plan.runAndPrint(put);
            } else {
                ReadConsistency consistency = ReadConsistency.valueOf(read.toUpperCase(Locale.ROOT));
                byte[] value = new byte[100];
                for (int i = 0; i < ClosedLoopLoad.KEYS; i++) {
                    put.write(ClosedLoopLoad.key(i), value);
                }
                System.out.println("reads at " + consistency + " (the column says writes/s: read it as reads/s)");
                plan.runAndPrint((key, ignored) -> client.read(new KvCommand.Get(key), consistency)
                        instanceof KvResult.Value);
            }
        } finally {
            for (RunningNode n : nodes) {
                n.close();
            }
            deleteTree(dir);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    private static RunningNode pick(List<RunningNode> nodes, boolean follower) throws InterruptedException {
        for (int waited = 0; waited < 300; waited++) { // 30 s
            for (RunningNode n : nodes) {
                if (n.status().role() == Role.LEADER && n.ready()) {
                    return follower ? nodes.get((nodes.indexOf(n) + 1) % nodes.size()) : n;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no leader within 30 s");
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
