package io.raftstore.sample.accounts;

import jakarta.ejb.ApplicationException;

/** Thrown on purpose after a transfer was written, to show that rollback discards it. */
@ApplicationException(rollback = true)
public class DemonstrationRollbackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DemonstrationRollbackException() {
        super("failed on purpose after writing the transfer; the transaction rolled back and nothing was written");
    }
}
