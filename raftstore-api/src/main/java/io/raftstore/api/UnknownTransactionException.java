package io.raftstore.api;

/**
 * No prepared two-phase transaction has this id: it was never prepared (or its prepare failed), or it was
 * already committed or rolled back — by its transaction manager, a repeated call, or an operator. Nothing
 * was done now.
 */
public class UnknownTransactionException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final String transactionId;

    public UnknownTransactionException(String transactionId) {
        super("no prepared transaction '" + transactionId + "': it was never prepared, or it was already committed"
                + " or rolled back; nothing was done. List the prepared ones with GET /api/cluster/transactions.");
        this.transactionId = transactionId;
    }

    public String transactionId() {
        return transactionId;
    }
}
