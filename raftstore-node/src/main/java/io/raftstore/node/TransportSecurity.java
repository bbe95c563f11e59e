package io.raftstore.node;

import io.raftstore.transport.security.CredentialsException;
import io.raftstore.transport.security.NodeCredentials;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Node-to-node protection, from the same settings as {@link NodeSettings} (docs/security.md, "Between nodes"):
 * on unless {@value #SECURITY} is {@code off}, and then a node needs its keystore, or it does not start.
 */
public final class TransportSecurity {

    private static final Logger LOG = Logger.getLogger(TransportSecurity.class.getName());

    /** {@code on} (the default) or {@code off}: frames in clear text and anyone may join (trusted networks, benchmarks). */
    public static final String SECURITY = "raftstore.transport.security";
    /** PKCS12: this node's key and certificate (common name = node id) and the cluster CA as trusted entry. */
    public static final String KEYSTORE = "raftstore.tls.keystore";
    public static final String KEYSTORE_PASSWORD = "raftstore.tls.keystore.password";

    private TransportSecurity() {
    }

    /**
     * @return this node's credentials, or null when protection is off
     * @throws NodeSettings.InvalidSettingException naming the setting to fix
     */
    public static NodeCredentials credentials(String nodeId, Function<String, Optional<String>> source) {
        String mode = value(source, SECURITY).orElse("on");
        if (mode.equals("off")) {
            LOG.warning("node " + nodeId + ": node-to-node protection is OFF (" + SECURITY + "=off): frames travel in "
                    + "clear text and any process that reaches the JGroups port can join. Only for a trusted network.");
            return null;
        }
        if (!mode.equals("on")) {
            throw new NodeSettings.InvalidSettingException(SECURITY, "'" + mode + "' must be on or off");
        }
        String hint = " (environment RAFTSTORE_TLS_KEYSTORE and RAFTSTORE_TLS_KEYSTORE_PASSWORD: a PKCS12 keystore with "
                + "this node's key and a certificate for CN=" + nodeId + " from the cluster CA, and the CA's certificate; "
                + "docs/security.md says how to make one. Or " + SECURITY + "=off to run without node-to-node protection)";
        Path keystore = Path.of(value(source, KEYSTORE).orElseThrow(() -> new NodeSettings.InvalidSettingException(
                KEYSTORE, "node-to-node protection is on but no keystore is configured" + hint)));
        if (!Files.isReadable(keystore)) {
            throw new NodeSettings.InvalidSettingException(KEYSTORE, "no readable keystore at " + keystore + hint);
        }
        char[] password = value(source, KEYSTORE_PASSWORD).orElseThrow(() -> new NodeSettings.InvalidSettingException(
                KEYSTORE_PASSWORD, "is required with " + KEYSTORE + hint)).toCharArray();
        try {
            return NodeCredentials.load(keystore, password, nodeId);
        } catch (CredentialsException e) {
            throw new NodeSettings.InvalidSettingException(KEYSTORE, e.getMessage());
        }
    }

    private static Optional<String> value(Function<String, Optional<String>> source, String key) {
        return source.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }
}
