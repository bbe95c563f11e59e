package io.raftstore.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** N nodes n1..nN on free 127.0.0.1 ports, in a fresh folder under the build directory. */
final class LocalCluster implements AutoCloseable {

    /** JGroups' FD_SOCK2 listens on the transport port plus this offset. */
    private static final int FD_SOCK_OFFSET = 100;

    final List<LibertyNode> nodes = new ArrayList<>();

    LocalCluster(int size, Map<String, String> env) throws IOException {
        Path wlp = Path.of(System.getProperty("raftstore.wlp.dir", "../liberty-config/target/liberty/wlp"));
        Path dir = Path.of(System.getProperty("raftstore.it.dir", "target/it-server"), UUID.randomUUID().toString());
        Set<Integer> taken = new HashSet<>();
        List<Integer> jgroups = new ArrayList<>();
        StringBuilder members = new StringBuilder();
        for (int i = 1; i <= size; i++) {
            int port = freePortWithSibling(taken);
            jgroups.add(port);
            members.append(i > 1 ? "," : "").append("n").append(i).append("=127.0.0.1:").append(port);
        }
        for (int i = 1; i <= size; i++) {
            nodes.add(new LibertyNode(wlp, dir.resolve("n" + i), "n" + i, members.toString(), freePort(taken), env));
        }
    }

    LibertyNode node(int i) {
        return nodes.get(i - 1);
    }

    /** Starts every node and waits until all are ready. */
    void start(Duration timeout, HttpClient http) throws Exception {
        for (LibertyNode n : nodes) {
            n.start();
        }
        awaitReady(nodes, timeout, http);
    }

    static void awaitReady(List<LibertyNode> which, Duration timeout, HttpClient http) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(which.size());
        try {
            List<Future<?>> waits = new ArrayList<>();
            for (LibertyNode n : which) {
                waits.add(pool.submit(() -> {
                    n.awaitReady(timeout, http);
                    return null;
                }));
            }
            for (Future<?> w : waits) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (LibertyNode n : nodes) {
            n.close();
        }
    }

    private static int freePortWithSibling(Set<Integer> taken) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = freePort(taken);
            if (port + FD_SOCK_OFFSET < 65536 && isFree(port + FD_SOCK_OFFSET) && taken.add(port + FD_SOCK_OFFSET)) {
                return port;
            }
        }
        throw new IOException("no free port pair found");
    }

    private static int freePort(Set<Integer> taken) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (taken.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
        throw new IOException("no free port found");
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
