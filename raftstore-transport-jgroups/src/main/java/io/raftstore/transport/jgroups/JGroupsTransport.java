package io.raftstore.transport.jgroups;

import io.raftstore.transport.Frame;
import io.raftstore.transport.FrameCodec;
import io.raftstore.transport.Transport;
import io.raftstore.transport.security.FrameProtection;
import io.raftstore.transport.security.FrameSealer;
import io.raftstore.transport.security.NodeCredentials;
import io.raftstore.transport.security.PeerRefusedException;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.blocks.cs.BaseServer;
import org.jgroups.blocks.cs.Connection;
import org.jgroups.blocks.cs.ConnectionListener;
import org.jgroups.protocols.TP;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.NameCache;
import org.jgroups.util.Util;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link Transport} over a JGroups channel whose logical name is the node id. Frames are unicast to the
 * latest JGroups address seen for the destination's name, in a view or as the sender of a message. That
 * address book only grows (a restarted node replaces its entry): JGroups views decide nothing here, so a
 * node that a view dropped for a while (paused, slow, or merging after a partition) still gets its Raft
 * messages, and Raft alone decides who leads. Only a name never seen cannot be reached yet.
 *
 * <p>With {@link NodeCredentials} (production), every frame is sealed per pair of nodes ({@link FrameSealer}),
 * addresses are learnt only from authentic traffic, and JGroups' AUTH admits to the view only nodes whose
 * certificate the cluster CA issued ({@link CertificateToken}). Without, frames travel in clear text.
 */
public final class JGroupsTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(JGroupsTransport.class.getName());

    private final JGroupsSettings settings;
    private final ThreadFactory threadFactory;
    private final NodeCredentials credentials;
    private final FrameProtection protection;
    /** Latest address per node id, from every view seen; never pruned (see the class comment). */
    private volatile Map<String, Address> addresses = Map.of();
    /** Node ids in the current view, for {@link #reachable()}. */
    private volatile Set<String> inView = Set.of();
    /** Serialises view updates (not the channel's monitor: close() holds that while views may still arrive). */
    private final Object viewLock = new Object();
    private volatile Listener listener;
    /** An outgoing connection still connecting after this long is closed and opened anew (see StalledConnects). */
    private static final long STALLED_CONNECT_MILLIS = 1_000;
    /** Set and cleared under this object's monitor; volatile because send() reads it without. */
    private volatile JChannel channel;
    private volatile boolean closed;

    /**
     * @param threadFactory supplies JGroups' threads (a container's ManagedThreadFactory), or null for
     *                      JGroups' own
     */
    public JGroupsTransport(JGroupsSettings settings, ThreadFactory threadFactory) {
        this(settings, null, threadFactory);
    }

    /**
     * @param credentials this node's certificate and key, and the CAs it trusts; null sends frames in clear
     *                    text and admits anyone to the view (raftstore.transport.security=off)
     */
    public JGroupsTransport(JGroupsSettings settings, NodeCredentials credentials, ThreadFactory threadFactory) {
        this.settings = settings;
        this.threadFactory = threadFactory;
        this.credentials = credentials;
        if (credentials != null && !credentials.nodeId().equals(settings.self().nodeId())) {
            throw new IllegalArgumentException("credentials of " + credentials.nodeId() + " for node " + settings.self().nodeId());
        }
        this.protection = credentials == null ? FrameProtection.plain(this::sendBytes)
                : new FrameSealer(credentials, this::sendBytes);
    }

    @Override
    public synchronized void start(Listener listener) throws Exception {
        if (channel != null) {
            throw new IllegalStateException("already started");
        }
        this.listener = listener;
        InetAddress bind = bindAddress();
        logUnresolvedPeers();
        JChannel ch = new JChannel(new ByteArrayInputStream(settings.toXml(bind).getBytes(StandardCharsets.UTF_8)));
        try {
            TP tp = ch.getProtocolStack().getTransport();
            if (threadFactory != null) {
                tp.setThreadFactory(new ContainerThreadFactory(threadFactory));
            }
            RaftFramesUpDirectly direct = new RaftFramesUpDirectly();
            direct.init(tp);
            tp.msgProcessingPolicy(direct); // before connect: no message has arrived yet
            ch.name(settings.self().nodeId());
            ch.setDiscardOwnMessages(true);
            ch.receiver(new Receiver() {
                @Override
                public void receive(Message msg) {
                    deliver(msg);
                }

                @Override
                public void viewAccepted(View view) {
                    updateView(view);
                }
            });
            if (credentials != null) {
                ClusterAuth auth = new ClusterAuth(new CertificateToken(credentials));
                ch.getProtocolStack().insertProtocol(auth, ProtocolStack.Position.BELOW, GMS.class);
                auth.init(); // the stack was initialised before this protocol joined it
            }
            try {
                ch.connect(settings.clusterName());
            } catch (SecurityException e) {
                String why = "node " + localId() + " was REFUSED by the cluster: " + e.getMessage();
                LOG.severe(why);
                throw new PeerRefusedException(why);
            }
            watchConnections(ch);
            channel = ch;
        } catch (Exception | Error e) {
            ch.close();
            throw e;
        }
    }

    private InetAddress bindAddress() throws UnknownHostException {
        String host = settings.bindHost();
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new UnknownHostException("this node's JGroups address '" + host + "' does not resolve"
                    + (settings.bindAddress() == null ? "; when the member list names nodes by DNS names whose records"
                    + " may appear only later (a pod's own record), set raftstore.bind.address (RAFTSTORE_BIND_ADDRESS)"
                    + " to this node's IP address, e.g. the pod's IP" : ""));
        }
    }

    /**
     * Says which members' names do not resolve yet. Not an error: TCPPING tries them again at every discovery
     * round and this node reaches them once their records exist (a StatefulSet's pods start together).
     */
    private void logUnresolvedPeers() {
        for (PeerAddress peer : settings.members()) {
            if (peer.nodeId().equals(localId())) {
                continue;
            }
            try {
                InetAddress.getByName(peer.host());
            } catch (UnknownHostException e) {
                LOG.warning("member " + peer.nodeId() + "'s address name '" + peer.host() + "' does not resolve (yet):"
                        + " JGroups resolves it again at every discovery round and reaches " + peer.nodeId()
                        + " once it does");
            }
        }
    }

    /**
     * When a peer's process dies its TCP connections close at once, long before heartbeats are missed:
     * report that as {@link Listener#onPeerLost}. JGroups keeps its connection server in a protected
     * field, hence the reflection; without it failover just waits for Raft's election timeout. The same table
     * lets {@link StalledConnects} close connects stuck behind a partition.
     */
    private void watchConnections(JChannel ch) {
        TP tp = ch.getProtocolStack().getTransport();
        try {
            BaseServer connections = connectionServer(tp);
            Field table = BaseServer.class.getDeclaredField("conns");
            table.setAccessible(true);
            @SuppressWarnings("unchecked")
            Map<Address, Connection> conns = (Map<Address, Connection>) table.get(connections);
            tp.getTimer().scheduleWithFixedDelay(new StalledConnects(conns, c -> connections.closeConnection(c, false),
                    TimeUnit.MILLISECONDS.toNanos(STALLED_CONNECT_MILLIS), System::nanoTime),
                    STALLED_CONNECT_MILLIS / 2, STALLED_CONNECT_MILLIS / 2, TimeUnit.MILLISECONDS);
            connections.addConnectionListener(new ConnectionListener() {
                @Override
                public void connectionClosed(Connection conn) {
                    // JGroups also closes one of two connections opened to each other at once, and replaces a
                    // connection when the peer connects anew (after a partition heals). Only a peer whose
                    // table entry is this very connection, or none, is lost: with TCP_NIO2 the replacement is
                    // still connecting when the old one closes, so "no established connection" read a live
                    // peer as lost and made its followers campaign (seen after healing on ./cluster --netns).
                    Connection current = conns.get(conn.peerAddress());
                    if (current == null || current == conn) {
                        connectionLost(tp, conn.peerAddress());
                    }
                }

                @Override
                public void connectionEstablished(Connection conn) {
                    // nothing: a returning node announces itself through Raft messages
                }
            });
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warning("cannot watch JGroups connections (" + e + "); failover waits for the election timeout");
        }
    }

    /** The transport's connection server: a protected field of TCP ("srv") or TCP_NIO2 ("server"). */
    private static BaseServer connectionServer(TP tp) throws ReflectiveOperationException {
        for (Class<?> c = tp.getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (BaseServer.class.isAssignableFrom(f.getType())) {
                    f.setAccessible(true);
                    BaseServer server = (BaseServer) f.get(tp);
                    if (server != null) {
                        return server;
                    }
                }
            }
        }
        throw new NoSuchFieldException("no connection server in " + tp.getClass().getName());
    }

    private void connectionLost(TP tp, Address physical) {
        Listener l = listener;
        if (closed || l == null || physical == null) {
            return;
        }
        // A crash closes the socket while the peer is still in the view; JGroups closes the connections of a
        // member it has just excluded from the view (perhaps only suspected, still alive): not a sign.
        Set<String> members = inView;
        addresses.forEach((id, logical) -> {
            if (members.contains(id) && physical.equals(tp.getPhysicalAddressFromCache(logical))) {
                LOG.info(() -> "connections to " + id + " (" + physical + ") closed while it is in the view: peer lost");
                l.onPeerLost(id);
            }
        });
    }

    private void deliver(Message msg) {
        String from = NameCache.get(msg.getSrc());
        Listener l = listener;
        if (from == null || l == null || closed || !(msg instanceof BytesMessage m)) {
            return;
        }
        byte[] bytes = m.getOffset() == 0 && m.getLength() == m.getArray().length ? m.getArray()
                : Arrays.copyOfRange(m.getArray(), m.getOffset(), m.getOffset() + m.getLength());
        Frame frame = protection.receive(from, bytes, () -> learn(from, msg.getSrc()));
        if (frame != null) {
            l.onFrame(from, frame);
        }
    }

    /**
     * A restarted node has a new JGroups address that the others would otherwise learn only from a view,
     * and JGroups may take seconds to merge it into theirs (measured: 7 s without a leader after the
     * leader died while the other survivor had restarted 3 s before). Its first message teaches it at once.
     */
    private void learn(String id, Address source) {
        if (!source.equals(addresses.get(id))) {
            synchronized (viewLock) {
                Map<String, Address> book = new HashMap<>(addresses);
                book.put(id, source);
                addresses = Map.copyOf(book);
            }
        }
    }

    private void updateView(View view) {
        synchronized (viewLock) {
            rebuild(view);
        }
        // One line per view: what an operator (and a post-mortem of a partition) reads first.
        LOG.info(() -> "JGroups view " + view.getViewId() + ": " + inView);
        Listener l = listener;
        if (l != null) {
            l.onReachableChanged(reachable());
        }
    }

    private void rebuild(View view) {
        Map<String, Address> book = new HashMap<>(addresses);
        Set<String> names = new TreeSet<>();
        for (Address a : view.getMembers()) {
            String name = NameCache.get(a);
            if (name != null) {
                book.put(name, a);
                names.add(name);
            }
        }
        addresses = Map.copyOf(book);
        inView = Set.copyOf(names);
    }

    @Override
    public String localId() {
        return settings.self().nodeId();
    }

    @Override
    public void send(String to, Frame frame) {
        if (!closed) {
            protection.send(to, FrameCodec.encode(frame));
        }
    }

    /** The raw send under {@link FrameProtection}: frames, and with credentials hellos and refusals. */
    private void sendBytes(String to, byte[] bytes) {
        Address dest = addresses.get(to);
        JChannel ch = channel;
        if (dest == null || ch == null || closed) {
            return;
        }
        try {
            // NO_RELIABILITY: frames skip UNICAST3's retransmission (TCP still keeps them in order on a live
            // connection). Raft resends what it needs, and a forwarded request is answered or given up by its
            // origin; a frame retransmitted after a partition healed only delivers a stale message late, such as
            // a write forwarded from the minority side, answered 503 there seconds earlier, that would then be
            // applied (seen in PartitionIT). Nor does a cut-off peer's backlog pile up in UNICAST3 meanwhile.
            ch.send(new BytesMessage(dest, bytes).setFlag(Message.Flag.NO_RELIABILITY));
        } catch (Exception e) {
            // A frame is best effort: Raft resends, forwarded requests time out and are reported.
            LOG.log(Level.FINE, "could not send to " + to, e);
        }
    }

    @Override
    public Set<String> reachable() {
        Set<String> ids = new TreeSet<>(inView);
        ids.remove(localId());
        return ids;
    }

    /**
     * Drops off the network the way a killed process does: sockets close without a goodbye, so the
     * others notice only through failure detection. For tests of failover in one JVM.
     */
    public synchronized void crash() {
        closed = true;
        if (channel != null) {
            try {
                Util.shutdown(channel);
            } catch (Exception e) {
                LOG.log(Level.FINE, "crash shutdown", e);
            }
            channel.close();
            channel = null;
        }
        addresses = Map.of();
        inView = Set.of();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (channel != null) {
            channel.close();
            channel = null;
        }
        addresses = Map.of();
        inView = Set.of();
    }
}
