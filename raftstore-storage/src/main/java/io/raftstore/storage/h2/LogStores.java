package io.raftstore.storage.h2;

import io.raftstore.core.storage.StorageException;
import io.raftstore.storage.Disk;
import io.raftstore.storage.LogStorage;
import io.raftstore.storage.LogStoreKind;
import io.raftstore.storage.wal.WalStorage;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Opens a node's Raft log in the store its data directory was created with, and keeps a directory from
 * changing stores: the node's H2 database records the store ({@value #STORE_KEY}), and opening with the other
 * setting is refused, since the other store would start an empty log (and could vote twice in a term).
 *
 * <p>Directories older than the record are recognised by what they hold: the write-ahead log's earlier marker
 * ({@value #WAL_MARKER}) or segment files mean the write-ahead log; a log or hard state in the database's
 * maps means the H2 store, in which every directory from before the write-ahead log kept its log.
 */
public final class LogStores {
    static final String STORE_KEY = "log.store";
    static final String WAL_MARKER = "log.wal";

    private LogStores() {
    }

    /**
     * Opens the log of the data directory {@code dataDir}, whose database is {@code db}, in the store
     * {@link H2StorageConfig#logStore()} names, recording that store when the directory is new.
     *
     * @throws StorageException when the directory holds the other store, or its log is damaged or missing
     */
    public static LogStorage open(Disk disk, Path dataDir, H2Database db, H2StorageConfig config) {
        MVMap<String, byte[]> meta = db.map(H2LogStore.META_MAP, StringDataType.INSTANCE, ByteArrayDataType.INSTANCE);
        Path walDir = dataDir.resolve(WalStorage.DIRECTORY);
        LogStoreKind recorded = recorded(meta);
        LogStoreKind found = recorded != null ? recorded : found(disk, db, walDir);
        LogStoreKind wanted = config.logStore();
        if (found != null && found != wanted) {
            throw new StorageException("the data directory " + dataDir + " keeps its Raft log in " + describe(found)
                    + " but this node is configured with " + LogStoreKind.SETTING + "=" + wanted.value()
                    + "; a directory cannot change stores: set " + LogStoreKind.SETTING + "=" + found.value()
                    + " for this node, or, to move it to the other store, wipe the directory and start the node"
                    + " again so that it rejoins as a new incarnation (docs/storage.md, \"Choosing the log store\")");
        }
        if (recorded == null) {
            byte[] value = wanted.value().getBytes(StandardCharsets.US_ASCII);
            db.write(() -> meta.put(STORE_KEY, value));
        }
        if (wanted == LogStoreKind.H2) {
            return new H2LogStorage(db);
        }
        // Written before: a log directory that went missing is refused instead of started empty.
        return WalStorage.open(disk, walDir, config.walSegmentBytes(), found == LogStoreKind.WAL);
    }

    private static LogStoreKind recorded(MVMap<String, byte[]> meta) {
        byte[] value = meta.get(STORE_KEY);
        if (value != null) {
            return LogStoreKind.parse(new String(value, StandardCharsets.US_ASCII));
        }
        return meta.containsKey(WAL_MARKER) ? LogStoreKind.WAL : null;
    }

    /** The store a directory from before the record holds, or null for a new one. */
    private static LogStoreKind found(Disk disk, H2Database db, Path walDir) {
        try {
            if (WalStorage.hasSegments(disk, walDir)) {
                return LogStoreKind.WAL;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return H2LogStore.holdsLog(db) ? LogStoreKind.H2 : null;
    }

    private static String describe(LogStoreKind kind) {
        return kind == LogStoreKind.WAL ? "the write-ahead log (" + WalStorage.DIRECTORY + "/)"
                : "its H2 database (" + H2Database.FILE_NAME + ")";
    }
}
