package io.raftstore.arquillian.app;

import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.UserTransaction;

import java.util.UUID;

/** What every transaction test needs: keys of its own, and no transaction left on the thread. */
public final class TestTransactions {

    private TestTransactions() {
    }

    /** A key prefix no other test (or earlier run on the same data) uses: {@code name-<8 hex>/}. */
    public static String uniquePrefix(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    /** A test that fails midway must not leave its transaction on the thread for the next one. */
    public static void rollbackIfOpen(UserTransaction tx) throws SystemException {
        if (tx.getStatus() != Status.STATUS_NO_TRANSACTION) {
            tx.rollback();
        }
    }
}
