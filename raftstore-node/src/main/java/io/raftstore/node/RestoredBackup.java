package io.raftstore.node;

import io.raftstore.core.HardState;
import io.raftstore.core.Incarnation;
import io.raftstore.core.storage.RaftStorage;
import io.raftstore.storage.Disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * A data directory restored from a backup into a running cluster carries the marker file {@value #MARKER}
 * (written by {@code ./cluster restore} and the documented server-side procedure, docs/operations.md). At start
 * the node turns such a directory into a new incarnation ({@link Incarnation#renew}) before the engine reads it,
 * then deletes the marker: the backup may predate votes and acknowledgements of the node, so it must come back
 * like a wiped node (docs/storage.md, "Repairing one node"). A crash between the two renews again at the next
 * start, which is harmless. Restoring every node of a cluster from backups of one moment (a rollback) writes no
 * marker: there each directory keeps its incarnation, as no node has anything newer to forget.
 */
public final class RestoredBackup {
    public static final String MARKER = "restored-from-backup";
    private static final Logger LOG = Logger.getLogger(RestoredBackup.class.getName());

    private RestoredBackup() {
    }

    /** Renews the incarnation when the marker is there; answers whether it was. */
    public static boolean renewIfMarked(Disk disk, Path dataDir, RaftStorage storage, LongSupplier generator) {
        Path marker = dataDir.resolve(MARKER);
        if (!disk.exists(marker)) {
            return false;
        }
        HardState renewed = Incarnation.renew(storage, generator);
        try {
            disk.delete(marker);
            disk.syncDirectory(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + marker + " after renewing the incarnation; delete it and "
                    + "start again", e);
        }
        LOG.warning("data directory " + dataDir + " was restored from a backup: it is a new incarnation now (term "
                + renewed.term() + ", commit index " + renewed.commitIndex() + "); it votes and counts toward commitment "
                + "again once the leader has caught it up");
        return true;
    }
}
