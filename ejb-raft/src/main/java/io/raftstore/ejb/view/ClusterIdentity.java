package io.raftstore.ejb.view;

import io.raftstore.node.NodeSettings;
import io.raftstore.node.TransportSecurity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Which cluster this node belongs to, as a backup records it: the cluster name ({@code raftstore.cluster.name})
 * and the SHA-256 fingerprints (lower-case hex, sorted) of the trusted certificates in the node's keystore, the
 * cluster CA (two during a rotation). Every cluster has a CA of its own, so the fingerprints tell two clusters
 * apart even when both keep the default name. Empty fingerprints when the node has no keystore, or its password
 * is encoded (only Liberty decodes those).
 */
public record ClusterIdentity(String clusterName, List<String> caFingerprints) {
    private static final Logger LOG = Logger.getLogger(ClusterIdentity.class.getName());

    /** @param config a configuration key to its value (MicroProfile Config's {@code getOptionalValue}) */
    public static ClusterIdentity from(Function<String, Optional<String>> config) {
        String name = config.apply(NodeSettings.CLUSTER_NAME).map(String::trim).filter(s -> !s.isEmpty()).orElse("raftstore");
        Optional<String> keystore = config.apply(TransportSecurity.KEYSTORE);
        Optional<String> password = config.apply(TransportSecurity.KEYSTORE_PASSWORD);
        if (keystore.isEmpty() || password.isEmpty()) {
            return new ClusterIdentity(name, List.of());
        }
        try {
            return new ClusterIdentity(name, caFingerprints(Path.of(keystore.get()), password.get().toCharArray()));
        } catch (IOException | GeneralSecurityException e) {
            LOG.warning("the cluster CA's fingerprint is unknown: cannot read " + keystore.get() + ": " + e);
            return new ClusterIdentity(name, List.of());
        }
    }

    /** The SHA-256 of each trusted certificate entry of a PKCS12 keystore, sorted. */
    public static List<String> caFingerprints(Path keystore, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password);
        }
        List<String> prints = new ArrayList<>();
        for (String alias : Collections.list(ks.aliases())) {
            if (ks.isCertificateEntry(alias)) {
                Certificate c = ks.getCertificate(alias);
                prints.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded())));
            }
        }
        Collections.sort(prints);
        return List.copyOf(prints);
    }
}
