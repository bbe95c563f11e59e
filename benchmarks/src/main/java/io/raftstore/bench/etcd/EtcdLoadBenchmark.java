package io.raftstore.bench.etcd;

import io.raftstore.bench.ClosedLoopLoad;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.options.GetOption;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The peer for the network API figures: etcd's own gRPC client (jetcd) driving a running etcd cluster with
 * {@link ClosedLoopLoad}'s workload (16-byte keys over 10,000 keys, 100-byte values, closed-loop clients).
 * Operations: {@code put}; {@code get} (etcd's linearizable range read, the default); {@code get-serializable}
 * (answered from the member's own state: etcd's counterpart of a stale read). The reads first write every key
 * once. Clients share {@value #CHANNELS} gRPC connections, as etcd's own benchmark tool shares its
 * {@code --conns}.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.raftstore.bench.etcd.EtcdLoadBenchmark
 * http://127.0.0.1:2379 put 1,16,64 5 20}
 */
public final class EtcdLoadBenchmark {
    static final int CHANNELS = 4;

    private EtcdLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String endpoint = args.length > 0 ? args[0] : "http://127.0.0.1:2379";
        String op = args.length > 1 ? args[1] : "put";
        ClosedLoopLoad.Plan plan = ClosedLoopLoad.Plan.fromArgs(args, 2);
        Client[] clients = new Client[CHANNELS];
        KV[] kvs = new KV[CHANNELS];
        for (int i = 0; i < CHANNELS; i++) {
            clients[i] = Client.builder().endpoints(endpoint.split(",")).build();
            kvs[i] = clients[i].getKVClient();
        }
        try {
            ClosedLoopLoad.Write put = (key, value) -> {
                kv(kvs).put(bytes(key), ByteSequence.from(value)).get(10, TimeUnit.SECONDS);
                return true;
            };
            switch (op) {
                case "put" -> plan.runAndPrint(put);
                case "get", "get-serializable" -> {
                    fill(kvs[0]);
                    GetOption read = GetOption.builder().withSerializable(op.equals("get-serializable")).build();
                    plan.runAndPrint((key, value) ->
                            kv(kvs).get(bytes(key), read).get(10, TimeUnit.SECONDS).getCount() == 1);
                }
                default -> throw new IllegalArgumentException("operation must be put, get or get-serializable: " + op);
            }
        } finally {
            for (Client c : clients) {
                c.close();
            }
        }
    }

    private static KV kv(KV[] kvs) {
        return kvs[(int) (Thread.currentThread().getId() % kvs.length)];
    }

    private static void fill(KV kv) throws Exception {
        byte[] value = new byte[100];
        for (int i = 0; i < ClosedLoopLoad.KEYS; i++) {
            kv.put(bytes(ClosedLoopLoad.key(i)), ByteSequence.from(value)).get(10, TimeUnit.SECONDS);
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
