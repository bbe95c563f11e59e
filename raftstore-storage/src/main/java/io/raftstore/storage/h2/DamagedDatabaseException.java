package io.raftstore.storage.h2;

import io.raftstore.core.storage.StorageException;

/**
 * A database file (or its watermark) whose content cannot be trusted, as opposed to one the disk failed to read
 * or write, or another process holds: the message names the file, what is wrong and what an operator does.
 * {@link NodeStorage} rebuilds the key-value state's database when opening it throws this, since its data is
 * derived; for the node's own database it is a refusal to start.
 */
public final class DamagedDatabaseException extends StorageException {
    private static final long serialVersionUID = 1L;

    private final String damage;

    /**
     * @param damage what is damaged and how ("database file … is damaged (…)")
     * @param repair what an operator does about it
     */
    DamagedDatabaseException(String damage, String repair, Throwable cause) {
        super(damage + "; the node refuses to start. " + repair, cause);
        this.damage = damage;
    }

    /** What is damaged and how, without the refusal and the repair: for a log that reports a repair done. */
    public String damage() {
        return damage;
    }
}
