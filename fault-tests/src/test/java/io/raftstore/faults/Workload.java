package io.raftstore.faults;

import io.raftstore.core.sim.KvCommand.Op;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Concurrent clients doing writes, deletes, linearizable (or lease) reads and compare-and-sets on a few keys through
 * the REST API, recording every operation in a {@link History}. Client c talks to node {@code c % n + 1}, so
 * that clients of the nodes on the majority side of a partition go on while those of a cut-off node wait:
 * the history then shows both what the majority acknowledged and what the minority refused.
 *
 * <p>Odd clients carry a client session and retry a write without a definite answer (503, no answer) with
 * the same sequence until the operation's deadline: the store must apply it at most once. Even clients
 * never retry. Every value written is unique, so a write applied twice or lost shows in the history.
 *
 * <p>Bounded: each client stops at {@link #stop()}, at its operation limit, or at a fatal error.
 */
final class Workload {

    private final NetnsCluster cluster;
    private final History history;
    private final KvClient kv;
    private final List<String> keys;
    private final int clients;
    private final long seed;
    private final Duration opDeadline;
    /** The consistency every client read asks for ({@code linearizable} or {@code lease}). */
    private final String reads;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private static final int MAX_OPS_PER_CLIENT = 20_000;

    Workload(NetnsCluster cluster, History history, long seed, int clients, int keyCount, Duration opDeadline,
             String reads) {
        this.cluster = cluster;
        this.reads = reads;
        this.history = history;
        this.seed = seed;
        this.clients = clients;
        this.opDeadline = opDeadline;
        this.kv = cluster.kv(Duration.ofSeconds(2));
        List<String> k = new ArrayList<>();
        for (int i = 0; i < keyCount; i++) {
            k.add("jepsen-" + seed + "-" + i);
        }
        this.keys = List.copyOf(k);
    }

    List<String> keys() {
        return keys;
    }

    void start() {
        for (int c = 1; c <= clients; c++) {
            int client = c;
            startClient(client, () -> run(client));
        }
        if (reads.equals("lease")) {
            // One reader per node that never writes: a node whose writes hang (its disk frozen, say) keeps being
            // asked for lease reads, which the other clients, stuck in a write, would stop asking for.
            for (int c = clients + 1; c <= clients + cluster.size(); c++) {
                int client = c;
                startClient(client, () -> readOnly(client));
            }
        }
    }

    private void startClient(int client, Runnable body) {
        Thread t = new Thread(body, "client-" + client);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Reads of random keys, a few dozen a second, from one node. */
    private void readOnly(int client) {
        Random rnd = new Random(seed * 1_000_003L + client);
        int node = (client - 1) % cluster.size() + 1;
        String base = cluster.url(node);
        for (int i = 0; i < MAX_OPS_PER_CLIENT && !stopping.get(); i++) {
            read(client, node, base, keys.get(rnd.nextInt(keys.size())));
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A read at the workload's consistency; answers what was read, or null without an answer. */
    private KvClient.Read read(int client, int node, String base, String key) {
        History.Call call = history.invoke(client, node, key, Op.GET, null, null);
        KvClient.Read r = kv.get(base, key, reads);
        if (r.outcome() == KvClient.Outcome.OK) {
            history.ok(call, r.value(), true);
            return r;
        }
        backOff();
        return null;
    }

    /** Stops the clients and waits for their last operations (each bounded by its deadline). */
    void stop() throws InterruptedException {
        stopping.set(true);
        for (Thread t : threads) {
            t.join(opDeadline.toMillis() + 5_000);
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " did not stop");
            }
        }
    }

    private void run(int client) {
        Random rnd = new Random(seed * 1_000_003L + client);
        int node = (client - 1) % cluster.size() + 1;
        String base = cluster.url(node);
        boolean session = client % 2 != 0;
        long clientId = session ? seed * 1000 + client : 0;
        Map<String, KvClient.Read> lastRead = new HashMap<>();
        long sequence = 0;
        for (int i = 0; i < MAX_OPS_PER_CLIENT && !stopping.get(); i++) {
            String key = keys.get(rnd.nextInt(keys.size()));
            String value = "c" + client + "-" + i;
            int dice = rnd.nextInt(100);
            if (dice < 35) {
                sequence++;
                write(client, node, base, key, Op.WRITE, value, null, null, clientId, sequence);
            } else if (dice < 45) {
                sequence++;
                write(client, node, base, key, Op.WRITE, null, null, null, clientId, sequence);
            } else if (dice < 75 || !lastRead.containsKey(key)) {
                KvClient.Read r = read(client, node, base, key);
                if (r != null) {
                    lastRead.put(key, r);
                }
            } else {
                KvClient.Read seen = lastRead.remove(key);
                sequence++;
                write(client, node, base, key, Op.CAS, value, seen.value(),
                        seen.value() == null ? "*" : seen.version(), clientId, sequence);
            }
        }
    }

    /** A write (WRITE with a null value: DELETE), retried under its session until definite or too late. */
    private void write(int client, int node, String base, String key, Op kind, String value, String expected,
                       String ifMatch, long clientId, long sequence) {
        History.Call call = history.invoke(client, node, key, kind, value, expected);
        long deadline = System.nanoTime() + opDeadline.toNanos();
        while (true) {
            KvClient.Write w = value == null ? kv.delete(base, key, clientId, sequence)
                    : kv.put(base, key, value, ifMatch, clientId, sequence);
            switch (w.outcome()) {
                case OK -> {
                    history.ok(call, null, true);
                    return;
                }
                case FAILED -> { // 412: the condition failed, nothing was written
                    if (kind == Op.CAS) {
                        history.ok(call, null, false);
                    }
                    return;
                }
                case UNKNOWN -> {
                    if (clientId == 0 || System.nanoTime() > deadline || stopping.get()) {
                        history.unknown(call);
                        backOff();
                        return;
                    }
                    backOff();
                }
            }
        }
    }

    /**
     * A client's pause after a request without an answer, as any real client makes: a killed node refuses
     * connections at once, and retrying without a pause would only spin.
     */
    private static void backOff() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
