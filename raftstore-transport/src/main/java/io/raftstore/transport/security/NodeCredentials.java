package io.raftstore.transport.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import javax.crypto.KeyAgreement;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * One node's identity in its cluster: an EC (P-256) private key, its certificate issued by a cluster CA with
 * the node id as common name, and the CA certificates this node trusts. All of it comes from one PKCS12
 * keystore: the single private-key entry is the node, every trusted-certificate entry is a CA (two during a
 * CA rotation). The same keystore serves Liberty's HTTPS.
 */
public final class NodeCredentials {

    private final String nodeId;
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final List<X509Certificate> authorities;

    private NodeCredentials(String nodeId, PrivateKey key, X509Certificate certificate, List<X509Certificate> authorities) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.key = key;
        this.certificate = certificate;
        this.authorities = List.copyOf(authorities);
        if (!(key instanceof ECPrivateKey) || !(certificate.getPublicKey() instanceof ECPublicKey)) {
            throw new CredentialsException("the key of " + nodeId + " must be an EC key (keytool -keyalg EC), was "
                    + key.getAlgorithm());
        }
        if (this.authorities.isEmpty()) {
            throw new CredentialsException("no trusted CA certificate: import the cluster CA's certificate "
                    + "(keytool -importcert -alias ca)");
        }
        try {
            verify(certificate, nodeId);
        } catch (PeerRefusedException e) {
            throw new CredentialsException("this node's own certificate is unusable: " + e.getMessage());
        }
    }

    /** For tests and tools that hold the parts already. */
    public static NodeCredentials of(String nodeId, PrivateKey key, X509Certificate certificate,
                                     List<X509Certificate> authorities) {
        return new NodeCredentials(nodeId, key, certificate, authorities);
    }

    /**
     * Reads the keystore and checks it at once: exactly one private key, a certificate for {@code nodeId} that
     * one of the trusted CAs issued and that is valid today.
     *
     * @throws CredentialsException saying what is wrong with the file and how to fix it
     */
    public static NodeCredentials load(Path keystore, char[] password, String nodeId) {
        KeyStore ks;
        try (InputStream in = Files.newInputStream(keystore)) {
            ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new CredentialsException("cannot read the keystore " + keystore + " (a PKCS12 file, with its "
                    + "password): " + e.getMessage());
        }
        try {
            PrivateKey key = null;
            X509Certificate own = null;
            List<X509Certificate> cas = new ArrayList<>();
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    if (key != null) {
                        throw new CredentialsException(keystore + " holds more than one private key; keep only this node's");
                    }
                    key = (PrivateKey) ks.getKey(alias, password);
                    own = (X509Certificate) ks.getCertificate(alias);
                } else if (ks.isCertificateEntry(alias)) {
                    cas.add((X509Certificate) ks.getCertificate(alias));
                }
            }
            if (key == null) {
                throw new CredentialsException(keystore + " holds no private key: it must hold this node's key and certificate");
            }
            return new NodeCredentials(nodeId, key, own, cas);
        } catch (GeneralSecurityException e) {
            throw new CredentialsException("cannot read the key in " + keystore + ": " + e.getMessage());
        }
    }

    public String nodeId() {
        return nodeId;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Accepts a peer's certificate only when a trusted CA issued it, it is valid today, it is not itself a CA,
     * and its common name is the node id the peer claims.
     *
     * @throws PeerRefusedException with the reason, fit for both sides' logs
     */
    public void verify(X509Certificate peer, String claimedId) {
        try {
            peer.checkValidity();
        } catch (CertificateException e) {
            throw new PeerRefusedException("the certificate of " + claimedId + " is not valid now (valid "
                    + peer.getNotBefore() + " to " + peer.getNotAfter() + ")");
        }
        if (peer.getBasicConstraints() >= 0) {
            throw new PeerRefusedException(claimedId + " presented a CA certificate, not a node certificate");
        }
        X509Certificate issuer = null;
        for (X509Certificate ca : authorities) {
            if (ca.getSubjectX500Principal().equals(peer.getIssuerX500Principal()) && signedBy(peer, ca.getPublicKey())) {
                issuer = ca;
            }
        }
        if (issuer == null) {
            throw new PeerRefusedException("the certificate of " + claimedId + " (issued by "
                    + peer.getIssuerX500Principal().getName() + ") is not issued by a CA this cluster trusts ("
                    + authorities.stream().map(c -> c.getSubjectX500Principal().getName()).toList() + ")");
        }
        try {
            issuer.checkValidity();
        } catch (CertificateException e) {
            throw new PeerRefusedException("the CA that issued " + claimedId + "'s certificate expired on " + issuer.getNotAfter());
        }
        String cn = commonName(peer.getSubjectX500Principal());
        if (!claimedId.equals(cn)) {
            throw new PeerRefusedException("a node calling itself " + claimedId + " presented the certificate of '" + cn + "'");
        }
    }

    private static boolean signedBy(X509Certificate cert, PublicKey key) {
        try {
            cert.verify(key);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static String commonName(X500Principal subject) {
        try {
            for (Rdn rdn : new LdapName(subject.getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            return "";
        }
        return "";
    }

    /** Static-static ECDH with a peer's certificate: the same secret on both sides, known to no third node. */
    byte[] agree(X509Certificate peer) {
        try {
            KeyAgreement ka = KeyAgreement.getInstance("ECDH");
            ka.init(key);
            ka.doPhase(peer.getPublicKey(), true);
            return ka.generateSecret();
        } catch (GeneralSecurityException e) {
            throw new PeerRefusedException("no key agreement with " + commonName(peer.getSubjectX500Principal())
                    + "'s key: " + e.getMessage());
        }
    }

    /** Signs with this node's key (SHA256withECDSA). */
    public byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with this node's key", e);
        }
    }

    public static boolean signatureValid(X509Certificate signer, byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initVerify(signer.getPublicKey());
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public static X509Certificate parseCertificate(byte[] der) {
        try {
            Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
            return (X509Certificate) c;
        } catch (CertificateException | ClassCastException e) {
            throw new PeerRefusedException("unreadable certificate: " + e.getMessage());
        }
    }

    public static byte[] encoded(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }
}
