package io.raftstore.web.service.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * What a backup carries beside the node's files, so it can be checked without Java before anything is touched
 * (docs/operations.md, "Backup and restore"): {@value #FILE}, whose cluster and node it is, and {@value #CHECKSUMS},
 * the SHA-256 of every other file in {@code sha256sum} format ({@code sha256sum -c} verifies it; the node's own
 * manifest uses CRC32C, which no standard tool computes).
 * The cluster is named as {@code io.raftstore.ejb.view.ClusterIdentity} says: its name and its CA's fingerprints.
 */
public final class BackupIdentity {
    public static final String FILE = "cluster-identity.properties";
    public static final String CHECKSUMS = "SHA256SUMS";

    private BackupIdentity() {
    }

    /** Writes {@value #FILE} into the backup directory. */
    public static void write(Path dir, Properties identity) throws IOException {
        try (OutputStream out = Files.newOutputStream(dir.resolve(FILE))) {
            identity.store(out, "RaftStore backup: the cluster and node it is of (docs/operations.md)");
        }
    }

    /** Writes {@value #CHECKSUMS} over every other regular file under {@code dir}, paths relative to it. */
    public static void writeChecksums(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).filter(f -> !f.equals(dir.resolve(CHECKSUMS))).sorted().toList();
        }
        StringBuilder sums = new StringBuilder();
        byte[] buf = new byte[1 << 16];
        for (Path f : files) {
            MessageDigest md = sha256();
            try (InputStream in = Files.newInputStream(f)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            sums.append(HexFormat.of().formatHex(md.digest())).append("  ")
                    .append(dir.relativize(f).toString().replace('\\', '/')).append('\n');
        }
        Files.writeString(dir.resolve(CHECKSUMS), sums, StandardCharsets.UTF_8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
