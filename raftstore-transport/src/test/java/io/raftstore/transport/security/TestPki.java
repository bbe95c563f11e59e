package io.raftstore.transport.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster CA and node keystores made with the JDK's keytool, the way ./cluster makes them, in a temporary
 * folder. Keystores are made once per name and reused within the JVM (each keytool run costs a JVM start).
 */
public final class TestPki {

    private static final String PASSWORD = "test-only";
    private static final Map<String, TestPki> AUTHORITIES = new HashMap<>();

    private final Path dir;
    private final Map<String, Path> issued = new HashMap<>();

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /** The CA called {@code name} ("cluster", "foreign"...), made on first use. */
    public static synchronized TestPki authority(String name) {
        return AUTHORITIES.computeIfAbsent(name, n -> {
            try {
                TestPki pki = new TestPki(Files.createTempDirectory("raftstore-pki-" + n));
                Runtime.getRuntime().addShutdownHook(new Thread(pki::delete, "remove test PKI " + n));
                pki.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                        "-dname", "CN=RaftStore test CA " + n, "-ext", "bc:c", "-validity", "30",
                        "-keystore", pki.dir.resolve("ca.p12").toString());
                pki.keytool("-exportcert", "-alias", "ca", "-rfc", "-file", pki.dir.resolve("ca.pem").toString(),
                        "-keystore", pki.dir.resolve("ca.p12").toString());
                return pki;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A PKCS12 keystore for {@code nodeId}: its key and certificate from this CA, and this CA as trusted. */
    public synchronized Path keystore(String nodeId) {
        return issued.computeIfAbsent(nodeId, id -> {
            Path ca = dir.resolve("ca.p12");
            Path out = dir.resolve(id + ".p12");
            keytool("-genkeypair", "-alias", id, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + id,
                    "-signer", "ca", "-validity", "30", "-keystore", ca.toString());
            keytool("-importkeystore", "-srckeystore", ca.toString(), "-srcstorepass", PASSWORD, "-srcalias", id,
                    "-destkeystore", out.toString(), "-deststorepass", PASSWORD, "-destalias", "node");
            keytool("-delete", "-alias", id, "-keystore", ca.toString());
            keytool("-importcert", "-noprompt", "-alias", "ca", "-file", dir.resolve("ca.pem").toString(),
                    "-keystore", out.toString());
            return out;
        });
    }

    /** Removes the folder and what keytool wrote into it (flat: no subfolders), when the JVM exits. */
    private void delete() {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            System.err.println("could not remove the test PKI in " + dir + ": " + e);
        }
    }

    public NodeCredentials credentials(String nodeId) {
        return NodeCredentials.load(keystore(nodeId), password(), nodeId);
    }

    public static char[] password() {
        return PASSWORD.toCharArray();
    }

    private void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        if (!command.contains("-srcstorepass")) {
            command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        }
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
