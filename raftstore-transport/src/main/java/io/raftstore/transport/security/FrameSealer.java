package io.raftstore.transport.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Node-to-node protection at RaftStore's own frame layer: every frame is encrypted and authenticated for one
 * pair of nodes and one direction, so the network sees no key or value and a node can only speak as itself.
 *
 * <h2>Why here and not in JGroups</h2>
 * JGroups' TLS belongs to its blocking TCP transport, and RaftStore runs TCP_NIO2 on purpose: with TCP a
 * black-holed peer blocked the others (issue 11, fault-tests PartitionIT). JGroups' ASYM_ENCRYPT gives every
 * member one shared group key, so any member could forge another's messages. Sealing frames here costs no
 * I/O at all (the bytes still travel over TCP_NIO2) and gives each pair of nodes its own keys.
 *
 * <h2>The scheme</h2>
 * <ul>
 * <li><b>Identity.</b> Each node holds an EC P-256 key and a certificate with its node id as common name,
 *     issued by the cluster CA ({@link NodeCredentials}). Two nodes greet each other with a {@code HELLO}
 *     carrying the certificate and this run's epoch, signed with the node's key; the receiver checks the
 *     certificate against the CA and its name against the sender's.</li>
 * <li><b>Pair keys.</b> Static ECDH between the two certificates' keys gives a secret only those two nodes can
 *     compute; HKDF (HMAC-SHA256) turns it into one AES-256 key per direction and per pair of epochs.</li>
 * <li><b>Frames.</b> {@code SEALED} = kind, sender's epoch, 64-bit counter, AES-GCM ciphertext and tag (the
 *     header is authenticated data). The nonce is the counter, which never repeats within a run, and every
 *     run has a new epoch, hence a new key: no nonce is ever used twice with one key.</li>
 * <li><b>Replays.</b> The key depends on the receiver's epoch too, so frames recorded before it restarted do
 *     not open; within a run a 64-frame sliding window drops repeats; an epoch older than the latest one seen
 *     from that sender is dropped.</li>
 * <li><b>Refusals.</b> A node whose certificate, signature or frames do not check out is logged here and sent
 *     a {@code REFUSED} notice, which it logs in turn: both sides say why.</li>
 * </ul>
 * A frame for a node not greeted yet waits (bounded) until its hello arrives.
 */
public final class FrameSealer implements FrameProtection {

    private static final Logger LOG = Logger.getLogger(FrameSealer.class.getName());

    static final byte HELLO = 0x51;
    static final byte SEALED = 0x52;
    static final byte REFUSED = 0x53;
    private static final int EPOCH = 16;
    private static final int HEADER = 1 + EPOCH + 8;
    private static final int TAG_BITS = 128;
    private static final String AES_GCM = "AES/GCM/NoPadding";
    private static final int WINDOW = 64;
    /** Frames (and bytes) kept per peer until it has greeted us; older ones go first (Raft resends what matters). */
    private static final int PENDING_LIMIT = 256;
    private static final int PENDING_BYTES = 4 << 20;
    private static final long HELLO_INTERVAL_NANOS = 200_000_000L;
    private static final byte[] SALT = "raftstore node-to-node v1".getBytes(StandardCharsets.UTF_8);

    private final NodeCredentials own;
    private final Wire wire;
    /** This run: start time (orders the runs of one node) and 8 random bytes. */
    private final byte[] epoch;
    private final byte[] ownCertificate;
    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    private final Warnings warnings = new Warnings();

    public FrameSealer(NodeCredentials own, Wire wire) {
        this.own = own;
        this.wire = wire;
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        this.epoch = ByteBuffer.allocate(EPOCH).putLong(System.currentTimeMillis()).put(random).array();
        this.ownCertificate = NodeCredentials.encoded(own.certificate());
    }

    /** The state shared with one peer; every field is guarded by the Peer's monitor. */
    private static final class Peer {
        X509Certificate certificate;
        byte[] pairSecret;
        /** The peer's current run, from its last authentic hello. */
        byte[] epoch;
        byte[] sendKey;
        long sent;
        byte[] receiveEpoch;
        byte[] receiveKey;
        long receiveMax = -1;
        long receiveSeen;
        final ArrayDeque<byte[]> pending = new ArrayDeque<>();
        int pendingBytes;
        long lastHello = System.nanoTime() - 2 * HELLO_INTERVAL_NANOS;
        /**
         * One cipher per direction, used under this peer's lock. A cipher looked up per frame cost more than the
         * encryption itself: the provider lookup and the AES key schedule were half of a REST write's garbage on
         * the leader (JFR allocation profile); a cipher initialised again with the key it had skips both.
         */
        final Cipher sealing = aesGcm();
        final Cipher opening = aesGcm();

        boolean helloDue() {
            long now = System.nanoTime();
            if (now - lastHello < HELLO_INTERVAL_NANOS) {
                return false;
            }
            lastHello = now;
            return true;
        }

        /** The sliding window: true for a counter not seen before and not too old. */
        boolean firstTime(long counter) {
            if (counter > receiveMax) {
                long shift = counter - receiveMax;
                receiveSeen = shift >= WINDOW ? 1 : (receiveSeen << shift) | 1;
                receiveMax = counter;
                return true;
            }
            long back = receiveMax - counter;
            if (back >= WINDOW || (receiveSeen & (1L << back)) != 0) {
                return false;
            }
            receiveSeen |= 1L << back;
            return true;
        }
    }

    private Peer peer(String id) {
        return peers.computeIfAbsent(id, k -> new Peer());
    }

    @Override
    public void send(String to, byte[] frame) {
        Peer p = peer(to);
        byte[] sealed = null;
        boolean greet = false;
        synchronized (p) {
            if (p.sendKey != null) {
                sealed = seal(p, frame);
            } else {
                p.pending.add(frame);
                p.pendingBytes += frame.length;
                while (p.pending.size() > PENDING_LIMIT || p.pendingBytes > PENDING_BYTES) {
                    p.pendingBytes -= p.pending.poll().length;
                }
                greet = p.helloDue();
            }
        }
        if (sealed != null) {
            wire.send(to, sealed);
        }
        if (greet) {
            wire.send(to, hello(to, true, null));
        }
    }

    @Override
    public byte[] open(String from, byte[] bytes, Runnable authentic) {
        if (bytes.length == 0) {
            return null;
        }
        switch (bytes[0]) {
            case SEALED -> {
                return unseal(from, bytes, authentic);
            }
            case HELLO -> onHello(from, bytes, authentic);
            case REFUSED -> warnings.warn(from + "/notice", () -> from + " REFUSED this node: "
                    + refusalReason(bytes).orElse("") + " (check this node's keystore: raftstore.tls.keystore)");
            default -> refuse(from, from + " sent an unsealed frame, but this cluster accepts only frames sealed with "
                    + "its certificates (does " + from + " run with raftstore.transport.security=off?)");
        }
        return null;
    }

    static boolean isSealerMessage(byte kind) {
        return kind == HELLO || kind == SEALED || kind == REFUSED;
    }

    static Optional<String> refusalReason(byte[] bytes) {
        return bytes.length > 0 && bytes[0] == REFUSED
                ? Optional.of(new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8)) : Optional.empty();
    }

    // ---- hello -------------------------------------------------------------------------------------

    /**
     * kind, flags (1 = please answer), this run's epoch, the epoch of {@code to} as known here (zeros if none),
     * certificate (length-prefixed), then an ECDSA signature over all of that and both names.
     */
    private byte[] hello(String to, boolean answer, byte[] theirEpoch) {
        ByteBuffer b = ByteBuffer.allocate(2 + 2 * EPOCH + 2 + ownCertificate.length);
        b.put(HELLO).put((byte) (answer ? 1 : 0)).put(epoch).put(theirEpoch == null ? new byte[EPOCH] : theirEpoch)
                .putShort((short) ownCertificate.length).put(ownCertificate);
        byte[] body = b.array();
        byte[] signature = own.sign(signed(own.nodeId(), to, body));
        return ByteBuffer.allocate(body.length + 2 + signature.length).put(body)
                .putShort((short) signature.length).put(signature).array();
    }

    private static byte[] signed(String from, String to, byte[] body) {
        byte[] names = ("raftstore hello " + from + ">" + to + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(names, names.length + body.length);
        System.arraycopy(body, 0, all, names.length, body.length);
        return all;
    }

    private void onHello(String from, byte[] bytes, Runnable authentic) {
        X509Certificate certificate;
        byte[] theirEpoch;
        byte[] seen;
        boolean answer;
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
            answer = (b.get() & 1) != 0;
            theirEpoch = new byte[EPOCH];
            seen = new byte[EPOCH];
            b.get(theirEpoch).get(seen);
            byte[] der = new byte[b.getShort() & 0xffff];
            b.get(der);
            byte[] body = Arrays.copyOf(bytes, b.position());
            byte[] signature = new byte[b.getShort() & 0xffff];
            b.get(signature);
            certificate = NodeCredentials.parseCertificate(der);
            own.verify(certificate, from);
            if (!NodeCredentials.signatureValid(certificate, signed(from, own.nodeId(), body), signature)) {
                throw new PeerRefusedException("the hello of " + from + " is not signed by the key of its certificate");
            }
        } catch (PeerRefusedException e) {
            refuse(from, e.getMessage());
            return;
        } catch (RuntimeException e) { // truncated or garbled
            refuse(from, "malformed hello from " + from + ": " + e);
            return;
        }
        Peer p = peer(from);
        List<byte[]> flush = new ArrayList<>();
        synchronized (p) {
            if (p.epoch != null && older(theirEpoch, p.epoch)) {
                return; // a hello of an earlier run, replayed
            }
            if (!Arrays.equals(p.epoch, theirEpoch)) {
                // A new run of the peer: where it is can be learnt from here. (A copy of a hello already seen
                // proves nothing about who sent it.)
                authentic.run();
            }
            if (p.certificate == null || !p.certificate.equals(certificate)) {
                if (p.certificate == null) {
                    LOG.info(() -> "node-to-node: " + from + " authenticated (certificate issued by "
                            + certificate.getIssuerX500Principal().getName() + ", valid until "
                            + certificate.getNotAfter() + ")");
                }
                p.certificate = certificate;
                p.pairSecret = extract(own.agree(certificate));
                p.receiveEpoch = null;
                p.receiveKey = null;
            }
            p.epoch = theirEpoch;
            p.sendKey = directionKey(p.pairSecret, own.nodeId(), from, epoch, theirEpoch);
            while (!p.pending.isEmpty()) {
                flush.add(seal(p, p.pending.poll()));
            }
            p.pendingBytes = 0;
        }
        for (byte[] sealed : flush) {
            wire.send(from, sealed);
        }
        if (answer || !Arrays.equals(seen, epoch)) {
            wire.send(from, hello(from, false, theirEpoch));
        }
    }

    private void refuse(String from, String reason) {
        warnings.warn(from + "/refused", () -> "node-to-node: REFUSED " + from + ": " + reason);
        if (warnings.due(from + "/notice-sent")) {
            byte[] text = (own.nodeId() + ": " + reason).getBytes(StandardCharsets.UTF_8);
            byte[] notice = new byte[Math.min(text.length, 1000) + 1];
            notice[0] = REFUSED;
            System.arraycopy(text, 0, notice, 1, notice.length - 1);
            wire.send(from, notice);
        }
    }

    /** Runs are ordered by their start time; the same time with other random bytes counts as newer. */
    private static boolean older(byte[] a, byte[] b) {
        return ByteBuffer.wrap(a).getLong() < ByteBuffer.wrap(b).getLong();
    }

    // ---- frames ------------------------------------------------------------------------------------

    private byte[] seal(Peer p, byte[] frame) {
        long counter = p.sent++;
        byte[] out = new byte[HEADER + frame.length + TAG_BITS / 8];
        ByteBuffer.wrap(out).put(SEALED).put(epoch).putLong(counter);
        try {
            Cipher c = init(p.sealing, Cipher.ENCRYPT_MODE, p.sendKey, counter);
            c.updateAAD(out, 0, HEADER);
            c.doFinal(frame, 0, frame.length, out, HEADER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
        return out;
    }

    private byte[] unseal(String from, byte[] bytes, Runnable authentic) {
        if (bytes.length < HEADER + TAG_BITS / 8) {
            warnings.warn(from + "/short", () -> "node-to-node: dropped a truncated frame from " + from);
            return null;
        }
        byte[] senderEpoch = Arrays.copyOfRange(bytes, 1, 1 + EPOCH);
        long counter = ByteBuffer.wrap(bytes, 1 + EPOCH, 8).getLong();
        Peer p = peer(from);
        boolean greet;
        synchronized (p) {
            if (p.receiveEpoch != null && older(senderEpoch, p.receiveEpoch)) {
                warnings.warn(from + "/replayed", () -> "node-to-node: dropped a frame that claims to come from " + from
                        + " but belongs to an earlier run of " + from + " (replayed or forged)");
                return null;
            }
            if (p.pairSecret != null) {
                byte[] key = Arrays.equals(senderEpoch, p.receiveEpoch) ? p.receiveKey
                        : directionKey(p.pairSecret, from, own.nodeId(), senderEpoch, epoch);
                byte[] plain = open(p, key, counter, bytes);
                if (plain != null) {
                    if (!Arrays.equals(senderEpoch, p.receiveEpoch)) {
                        p.receiveEpoch = senderEpoch;
                        p.receiveKey = key;
                        p.receiveMax = -1;
                        p.receiveSeen = 0;
                    }
                    if (!p.firstTime(counter)) {
                        return null;
                    }
                    authentic.run();
                    return plain;
                }
                warnings.warn(from + "/forged", () -> "node-to-node: dropped a frame that claims to come from " + from
                        + " but does not open with the key of " + from + " and this node (forged, damaged, or "
                        + "sealed for an earlier run of this node)");
            }
            // Either side may have restarted since the last hello: greet again (at most every 200 ms).
            greet = p.helloDue();
        }
        if (greet) {
            wire.send(from, hello(from, true, null));
        }
        return null;
    }

    /** Opens a sealed frame under {@code p}'s lock; null when it does not open with {@code key}. */
    private static byte[] open(Peer p, byte[] key, long counter, byte[] bytes) {
        try {
            Cipher c = init(p.opening, Cipher.DECRYPT_MODE, key, counter);
            c.updateAAD(bytes, 0, HEADER);
            return c.doFinal(bytes, HEADER, bytes.length - HEADER);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    private static Cipher aesGcm() {
        try {
            return Cipher.getInstance(AES_GCM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    private static Cipher init(Cipher c, int mode, byte[] key, long counter) throws GeneralSecurityException {
        byte[] nonce = ByteBuffer.allocate(12).putInt(0).putLong(counter).array();
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        return c;
    }

    // ---- keys (HKDF, RFC 5869, with HMAC-SHA256) --------------------------------------------------

    private static byte[] extract(byte[] sharedSecret) {
        return hmac(SALT, sharedSecret);
    }

    /** The AES key for frames from {@code from} to {@code to} while they run with these epochs. */
    private static byte[] directionKey(byte[] pairSecret, String from, String to, byte[] fromEpoch, byte[] toEpoch) {
        byte[] label = ("frames " + from + ">" + to + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] info = ByteBuffer.allocate(label.length + 2 * EPOCH + 1).put(label).put(fromEpoch).put(toEpoch)
                .put((byte) 1).array();
        return hmac(pairSecret, info);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
