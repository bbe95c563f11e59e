package io.raftstore.web.service.backup;

import io.raftstore.ejb.RaftStoreLocal;
import io.raftstore.ejb.view.ClusterIdentity;
import io.raftstore.ejb.view.NodeView;
import io.raftstore.web.service.changes.AuditLog;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Properties;

/**
 * Online backups of this node, for the console's download and {@code POST /api/cluster/backup}: {@link #make}
 * has the node copy its state consistently into a temporary directory (writes wait meanwhile) and adds the
 * cluster identity and checksums ({@link BackupIdentity}); {@link Made#writeTo} zips it into a response and
 * {@link Made#close} deletes it. Both the attempt and its outcome are audited.
 */
@ApplicationScoped
public class NodeBackups {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @EJB
    RaftStoreLocal node;
    @Inject
    AuditLog audit;

    /** The node could not make the backup; the message says why. */
    public static final class BackupFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        BackupFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A backup made and not sent yet; {@link #close} deletes it. */
    public final class Made implements AutoCloseable {
        private final Path work;
        private final String fileName;
        private final String who;
        private final String what;

        private Made(Path work, String fileName, String who, String what) {
            this.work = work;
            this.fileName = fileName;
            this.who = who;
            this.what = what;
        }

        /** {@code raftstore-<node>-<UTC time>.zip}. */
        public String fileName() {
            return fileName;
        }

        /** Zips the backup into {@code out} (which stays open) and audits it. */
        public void writeTo(OutputStream out) throws IOException {
            int files = BackupArchive.zip(work.resolve("backup"), out);
            audit.record(who, what, true, fileName + " (" + files + " files)");
        }

        @Override
        public void close() throws IOException {
            BackupArchive.delete(work);
        }
    }

    /**
     * Makes a backup of this node.
     *
     * @param via how it was asked for, for the audit ({@code "download "} from the console, {@code "REST "})
     */
    public Made make(String who, String via) throws IOException, BackupFailedException {
        NodeView status = node.status();
        String what = via + "online backup of " + status.nodeId();
        Path work = Files.createTempDirectory("raftstore-backup-");
        try {
            Path copy = work.resolve("backup");
            Instant taken = Instant.now();
            node.backup(copy);
            BackupIdentity.write(copy, identity(status, taken));
            BackupIdentity.writeChecksums(copy);
            return new Made(work, "raftstore-" + status.nodeId() + "-" + STAMP.format(taken) + ".zip", who, what);
        } catch (RuntimeException | IOException e) {
            BackupArchive.delete(work);
            audit.record(who, what, false, "backup failed: " + e.getMessage());
            throw new BackupFailedException("backup failed: " + e.getMessage(), e);
        }
    }

    private static Properties identity(NodeView status, Instant taken) {
        Config config = ConfigProvider.getConfig();
        ClusterIdentity cluster = ClusterIdentity.from(key -> config.getOptionalValue(key, String.class));
        Properties p = new Properties();
        p.setProperty("format", "1");
        p.setProperty("cluster.name", cluster.clusterName());
        p.setProperty("cluster.ca.sha256", String.join(",", cluster.caFingerprints()));
        p.setProperty("node.id", status.nodeId());
        p.setProperty("taken", taken.toString());
        p.setProperty("term", Long.toString(status.term()));
        p.setProperty("commit.index", Long.toString(status.commitIndex()));
        p.setProperty("applied.index", Long.toString(status.appliedIndex()));
        return p;
    }
}
