package io.raftstore.transport.jgroups;

import io.raftstore.transport.security.NodeCredentials;
import io.raftstore.transport.security.PeerRefusedException;
import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.auth.AuthToken;
import org.jgroups.util.NameCache;
import org.jgroups.util.UUID;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * What a node shows JGroups' AUTH to join the view or merge views: its certificate and a signature, made with
 * its key, over its name, its JGroups address and the time. The coordinator admits it only when the cluster
 * CA issued the certificate to that name; so strangers never enter the view. (Frames are protected on their
 * own by {@code FrameSealer}: the view decides nothing about who may speak.)
 * JGroups makes the receiving copy with the no-argument constructor and {@link #readFrom}.
 */
public final class CertificateToken extends AuthToken {

    private static final Logger LOG = Logger.getLogger(CertificateToken.class.getName());
    /** How far a token's time may be from the coordinator's clock: replays older than this are refused. */
    private static final long MAX_SKEW_MILLIS = 5 * 60_000L;
    /** A fresh signature at most this often; JGroups serializes the token for every join and merge request. */
    private static final long RESIGN_MILLIS = 30_000L;

    private final NodeCredentials credentials;
    private byte[] certificate = new byte[0];
    private String name = "";
    private String address = "";
    private long millis;
    private byte[] signature = new byte[0];
    /** Why the last token was refused here, for the rejection JGroups sends back. */
    private volatile String lastRefusal = "";

    public CertificateToken() {
        this.credentials = null;
    }

    CertificateToken(NodeCredentials credentials) {
        this.credentials = credentials;
        this.certificate = NodeCredentials.encoded(credentials.certificate());
        this.name = credentials.nodeId();
    }

    @Override
    public String getName() {
        return CertificateToken.class.getName();
    }

    private synchronized void refresh() {
        if (credentials == null) {
            return;
        }
        Address local = auth == null ? null : auth.getAddress();
        String now = local == null ? "" : raw(local);
        long time = System.currentTimeMillis();
        if (!now.equals(address) || time - millis > RESIGN_MILLIS || signature.length == 0) {
            address = now;
            millis = time;
            signature = credentials.sign(signed(name, address, millis));
        }
    }

    /** The address itself, never the logical name that an address's toString() prints. */
    private static String raw(Address a) {
        return a instanceof UUID u ? u.toStringLong() : String.valueOf(a);
    }

    private static byte[] signed(String name, String address, long millis) {
        byte[] text = ("raftstore join " + name + " " + address + "\0").getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(text.length + 8).put(text).putLong(millis).array();
    }

    @Override
    public synchronized int size() {
        refresh();
        return 4 + certificate.length + 2 + utf8(name) + 2 + utf8(address) + 8 + 4 + signature.length;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public synchronized void writeTo(DataOutput out) throws IOException {
        refresh();
        out.writeInt(certificate.length);
        out.write(certificate);
        out.writeUTF(name);
        out.writeUTF(address);
        out.writeLong(millis);
        out.writeInt(signature.length);
        out.write(signature);
    }

    @Override
    public synchronized void readFrom(DataInput in) throws IOException {
        certificate = readBytes(in);
        name = in.readUTF();
        address = in.readUTF();
        millis = in.readLong();
        signature = readBytes(in);
    }

    private static byte[] readBytes(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 16_384) {
            throw new IOException("token field of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    /** What a received token says, read under its lock (JGroups reads and checks tokens on different threads). */
    private record Presented(byte[] certificate, String name, String address, long millis, byte[] signature) {
    }

    private synchronized Presented presented() {
        return new Presented(certificate, name, address, millis, signature);
    }

    @Override
    public boolean authenticate(AuthToken token, Message msg) {
        String source = msg.getSrc() == null ? "?" : NameCache.get(msg.getSrc());
        try {
            if (!(token instanceof CertificateToken received)) {
                throw new PeerRefusedException(source + " presented no node certificate");
            }
            Presented t = received.presented();
            // The name this node knows for the sender, if any, must be the token's. None known is fine: a joiner
            // may learn the coordinator's address from another member's discovery answer and ask to join before
            // its own discovery request reached the coordinator (seen when n2 restarted); the signature over the
            // name and this very address is what proves who it is, not a name from an unsigned discovery packet.
            if (msg.getSrc() == null || (source != null && !source.equals(t.name))
                    || !raw(msg.getSrc()).equals(t.address)) {
                throw new PeerRefusedException("the token of " + t.name + " (" + t.address + ") arrived from "
                        + source + " (" + msg.getSrc() + ")");
            }
            X509Certificate cert = NodeCredentials.parseCertificate(t.certificate);
            credentials.verify(cert, t.name);
            if (!NodeCredentials.signatureValid(cert, signed(t.name, t.address, t.millis), t.signature)) {
                throw new PeerRefusedException("the token of " + t.name + " is not signed by its certificate's key");
            }
            if (Math.abs(System.currentTimeMillis() - t.millis) > MAX_SKEW_MILLIS) {
                throw new PeerRefusedException("the token of " + t.name + " is dated " + Instant.ofEpochMilli(t.millis)
                        + ": replayed, or the clocks differ by more than 5 minutes");
            }
            if (source == null) {
                NameCache.add(msg.getSrc(), t.name); // views and frames from it then carry its name
            }
            return true;
        } catch (PeerRefusedException e) {
            lastRefusal = e.getMessage();
            return false;
        }
    }

    /** Why the last token was refused ("" if none was). */
    String lastRefusal() {
        return lastRefusal;
    }
}
