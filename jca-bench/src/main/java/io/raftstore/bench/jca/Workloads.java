package io.raftstore.bench.jca;

import io.raftstore.api.ReadConsistency;
import io.raftstore.api.StoreConnection;
import io.raftstore.api.StoreConnectionFactory;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.StoreGatewayRegistry;
import jakarta.transaction.UserTransaction;

import java.util.ArrayList;
import java.util.List;

/**
 * The same operations through the adapter (what an application pays) and through the gateway (the node's
 * local interface behind a thin mapping, what the adapter adds to). Each caller writes its own keys, so
 * transactions do not conflict and the numbers measure the path, not contention.
 */
final class Workloads {

    /** Keys per caller: enough to spread writes, few enough that reads hit existing keys. */
    static final int KEYS_PER_CALLER = 100;

    private Workloads() {
    }

    static String key(int caller, long n) {
        return "bench/" + caller + "/" + (n % KEYS_PER_CALLER);
    }

    /** get: linearizable; get-lease, get-stale: the named consistency. */
    private static ReadConsistency consistency(String op) {
        return switch (op) {
            case "get-lease" -> ReadConsistency.LEASE;
            case "get-stale" -> ReadConsistency.STALE;
            default -> ReadConsistency.LINEARIZABLE;
        };
    }

    static Workload adapter(String op, StoreConnectionFactory store, UserTransaction tx, byte[] value) {
        return switch (op) {
            case "put" -> (caller, n) -> {
                try (StoreConnection c = store.getConnection()) {
                    c.put(key(caller, n), value);
                }
            };
            case "get", "get-lease", "get-stale" -> {
                ReadConsistency consistency = consistency(op);
                yield (caller, n) -> {
                    try (StoreConnection c = store.getConnection()) {
                        c.get(key(caller, n), consistency);
                    }
                };
            }
            case "tx10" -> (caller, n) -> {
                tx.begin();
                try (StoreConnection c = store.getConnection()) {
                    for (int i = 0; i < 10; i++) {
                        c.put(key(caller, n * 10 + i), value);
                    }
                } catch (RuntimeException e) {
                    tx.rollback();
                    throw e;
                }
                tx.commit();
            };
            default -> throw new IllegalArgumentException("op must be put, get, get-lease, get-stale or tx10: " + op);
        };
    }

    static Workload gateway(String op, byte[] value) {
        return switch (op) {
            case "put" -> (caller, n) -> StoreGatewayRegistry.current().execute(new Operation.Put(key(caller, n), value));
            case "get", "get-lease", "get-stale" -> {
                ReadConsistency consistency = consistency(op);
                yield (caller, n) -> StoreGatewayRegistry.current().read(key(caller, n), consistency);
            }
            case "tx10" -> (caller, n) -> {
                List<Operation> puts = new ArrayList<>(10);
                for (int i = 0; i < 10; i++) {
                    puts.add(new Operation.Put(key(caller, n * 10 + i), value));
                }
                StoreGatewayRegistry.current().executeBatch(List.of(), puts);
            };
            default -> throw new IllegalArgumentException("op must be put, get, get-lease, get-stale or tx10: " + op);
        };
    }
}
