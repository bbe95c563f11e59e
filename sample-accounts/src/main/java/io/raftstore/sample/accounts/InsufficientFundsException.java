package io.raftstore.sample.accounts;

import jakarta.ejb.ApplicationException;

/** A transfer larger than the balance; the transaction rolls back and nothing is written. */
@ApplicationException(rollback = true)
public class InsufficientFundsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InsufficientFundsException(String account, long balance, long amount) {
        super("account '" + account + "' holds " + balance + ", less than the " + amount + " to transfer");
    }
}
