package io.raftstore.sample.accounts;

import jakarta.ejb.ApplicationException;

/** A transfer names an account that was never opened. */
@ApplicationException(rollback = true)
public class UnknownAccountException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnknownAccountException(String account) {
        super("no account '" + account + "'; open it first");
    }
}
