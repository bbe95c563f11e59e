package io.raftstore.sample.accounts;

import io.raftstore.api.ConditionFailedException;
import io.raftstore.api.ReadConsistency;
import io.raftstore.api.StoreBatch;
import io.raftstore.api.StoreConnection;
import io.raftstore.api.Versioned;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LedgerTest {

    /** Just enough of a connection for the ledger: a sorted map with versions. */
    private static final class MapConnection implements StoreConnection {
        final TreeMap<String, Versioned> data = new TreeMap<>();
        long version;

        @Override
        public Optional<Versioned> get(String key) {
            return Optional.ofNullable(data.get(key));
        }

        @Override
        public Optional<Versioned> get(String key, ReadConsistency consistency) {
            return get(key);
        }

        @Override
        public long put(String key, byte[] value) {
            data.put(key, new Versioned(key, value, ++version));
            return version;
        }

        @Override
        public long putIfAbsent(String key, byte[] value) {
            if (data.containsKey(key)) {
                throw new ConditionFailedException(key, "absent", data.get(key).version());
            }
            return put(key, value);
        }

        @Override
        public List<Versioned> scan(String prefix, int limit) {
            return data.tailMap(prefix).values().stream().filter(v -> v.key().startsWith(prefix)).limit(limit).toList();
        }

        @Override
        public long compareAndSet(String key, long expectedVersion, byte[] value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean delete(String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(String key, long expectedVersion) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long increment(String key, long delta) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Versioned> scan(String prefix, int limit, ReadConsistency consistency) {
            return scan(prefix, limit);
        }

        @Override
        public StoreBatch batch() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean inTransaction() {
            return false;
        }

        @Override
        public void close() {
        }
    }

    private final MapConnection store = new MapConnection();
    private final Ledger ledger = new Ledger(store);

    @Test
    void transferMovesMoneyAndKeepsTheTotal() {
        ledger.open("alice", 100);
        ledger.open("bob", 5);
        ledger.transfer("alice", "bob", 30);
        assertEquals(Map.of("alice", 70L, "bob", 35L), ledger.balances());
        assertEquals("70", new String(store.data.get("accounts/alice").value(), StandardCharsets.UTF_8));
    }

    @Test
    void refusesOverdraftsUnknownAccountsAndNonsense() {
        ledger.open("alice", 10);
        ledger.open("bob", 0);
        assertThrows(InsufficientFundsException.class, () -> ledger.transfer("alice", "bob", 11));
        assertThrows(UnknownAccountException.class, () -> ledger.transfer("alice", "carol", 1));
        assertThrows(IllegalArgumentException.class, () -> ledger.transfer("alice", "alice", 1));
        assertThrows(IllegalArgumentException.class, () -> ledger.transfer("alice", "bob", 0));
        assertThrows(IllegalArgumentException.class, () -> ledger.open("a/b", 1));
        assertThrows(ConditionFailedException.class, () -> ledger.open("alice", 1));
        assertEquals(Map.of("alice", 10L, "bob", 0L), ledger.balances());
    }
}
