package io.raftstore.sample.accounts;

import io.raftstore.api.StoreConnection;
import io.raftstore.api.StoreConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import java.util.Map;
import java.util.Optional;

/**
 * Each method is one container-managed transaction. The connection joins it: its writes are buffered and
 * committed as one atomic batch when the method returns, or discarded when it throws. A transfer that
 * raced with another on the same account fails at commit; the container reports a rolled-back transaction
 * whose cause chain holds {@code TransactionConflictException}.
 */
@Stateless
public class AccountService {

    @Resource(lookup = "eis/raftstore")
    private StoreConnectionFactory store;

    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void open(String name, long balance) {
        try (StoreConnection c = store.getConnection()) {
            new Ledger(c).open(name, balance);
        }
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void transfer(String from, String to, long amount) {
        transfer(from, to, amount, 0);
    }

    /** A transfer that waits {@code pauseMillis} (at most 5 s) between reading and writing the balances. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void transfer(String from, String to, long amount, int pauseMillis) {
        try (StoreConnection c = store.getConnection()) {
            new Ledger(c).transfer(from, to, amount, () -> pause(pauseMillis));
        }
    }

    private static void pause(int millis) {
        try {
            Thread.sleep(Math.max(0, Math.min(millis, 5000)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void note(String name, String text) {
        try (StoreConnection c = store.getConnection()) {
            new Ledger(c).note(name, text);
        }
    }

    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Optional<String> note(String name) {
        try (StoreConnection c = store.getConnection()) {
            return new Ledger(c).note(name);
        }
    }

    /**
     * Writes a transfer, then fails: shows that a rolled-back transaction leaves nothing behind (the
     * buffered writes never reach the store).
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void transferThenFail(String from, String to, long amount) {
        try (StoreConnection c = store.getConnection()) {
            new Ledger(c).transfer(from, to, amount);
        }
        throw new DemonstrationRollbackException();
    }

    /** Outside a transaction: one scan, which is one consistent state of the store. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Map<String, Long> balances() {
        try (StoreConnection c = store.getConnection()) {
            return new Ledger(c).balances();
        }
    }
}
