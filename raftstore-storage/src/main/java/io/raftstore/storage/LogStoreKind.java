package io.raftstore.storage;

import java.util.Locale;

/**
 * Where a node keeps its Raft log and hard state, chosen with the setting {@value #SETTING} and fixed for the
 * life of a data directory (the directory records it; opening it with the other setting is refused).
 */
public enum LogStoreKind {
    /** The write-ahead log ({@code wal/}): one append and one fsync per Ready. The default. */
    WAL("wal"),
    /** Maps of the node's H2 database: one H2 commit and fsync per Ready, every write transactional. */
    H2("h2");

    public static final String SETTING = "raftstore.log.store";

    private final String value;

    LogStoreKind(String value) {
        this.value = value;
    }

    /** The setting's value for this store: {@code wal} or {@code h2}. */
    public String value() {
        return value;
    }

    /**
     * The store a setting names, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException saying which values are allowed (the message does not name the setting)
     */
    public static LogStoreKind parse(String setting) {
        String v = setting.trim().toLowerCase(Locale.ROOT);
        for (LogStoreKind kind : values()) {
            if (kind.value.equals(v)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("'" + setting + "' must be wal (the write-ahead log, the "
                + "default) or h2 (the log in the node's H2 database)");
    }
}
