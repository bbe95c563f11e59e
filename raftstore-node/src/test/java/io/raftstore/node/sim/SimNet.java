package io.raftstore.node.sim;

import io.raftstore.core.message.InstallSnapshot;
import io.raftstore.transport.Frame;
import io.raftstore.transport.FrameCodec;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The simulated network between the nodes' transports. As the {@link io.raftstore.transport.Transport}
 * contract promises (and TCP gives): frames between two live endpoints arrive in order or not at all. On
 * top, the nemesis cuts links (both ways or one way), loses frames and changes delays. Every frame is
 * encoded and decoded by the production {@link FrameCodec}, so nothing is shared between nodes but bytes.
 * A process that dies closes its connections, which its peers notice as a lost peer (unless the link
 * between them is cut); a cut link is silence.
 */
final class SimNet {

    private final SimWorld world;
    private final Map<String, SimTransport> endpoints = new TreeMap<>();
    /** Directed links that drop everything, as "from>to". */
    private final Set<String> cut = new HashSet<>();
    /** When the last frame on each directed link arrives: later frames never overtake it. */
    private final Map<String, Long> lastArrival = new HashMap<>();
    /** Told of each snapshot chunk but the last sent to a node: the nemesis may strike mid-install. */
    private Consumer<String> midInstall = to -> { };
    private double loss;
    private double minDelayMillis = 0.1;
    private double maxDelayMillis = 2;
    long framesSent;
    long framesDropped;

    SimNet(SimWorld world) {
        this.world = world;
    }

    void onMidInstall(Consumer<String> receiver) {
        this.midInstall = receiver;
    }

    SimTransport transport(String id, Runnable wake) {
        return new SimTransport(this, id, wake);
    }

    void attach(SimTransport t) {
        endpoints.put(t.localId(), t);
    }

    /**
     * {@code t} is gone: closed gracefully or with its process. Either way its connections close and the
     * peers it can still reach hear of it a moment later.
     */
    void detach(SimTransport t) {
        if (endpoints.get(t.localId()) != t) {
            return;
        }
        endpoints.remove(t.localId());
        for (SimTransport peer : endpoints.values()) {
            if (linked(t.localId(), peer.localId())) {
                world.afterMillis(world.millisBetween(0.1, 3), () -> peer.peerLost(t.localId()));
            }
        }
    }

    void send(SimTransport from, String to, Frame frame) {
        framesSent++;
        SimTransport dest = endpoints.get(to);
        String link = from.localId() + ">" + to;
        if (dest == null || cut.contains(link) || world.random.nextDouble() < loss) {
            framesDropped++;
            return;
        }
        if (frame instanceof Frame.RaftBatch batch) {
            batch.messages().stream().filter(m -> m instanceof InstallSnapshot).map(m -> (InstallSnapshot) m)
                    .forEach(m -> {
                        world.trace(from.localId(), "-> " + to + " snapshot chunk at " + m.offset() + " ("
                                + m.data().length + " bytes" + (m.done() ? ", last" : "") + ") of " + m.meta().index());
                        if (!m.done()) {
                            midInstall.accept(to);
                        }
                    });
        }
        byte[] bytes = FrameCodec.encode(frame);
        long arrival = world.now() + (long) (world.millisBetween(minDelayMillis, maxDelayMillis) * 1_000_000);
        arrival = Math.max(arrival, lastArrival.getOrDefault(link, 0L));
        lastArrival.put(link, arrival);
        world.at(arrival, () -> {
            // A frame in flight dies with its connection: a cut, or either end gone or restarted.
            if (endpoints.get(to) == dest && endpoints.get(from.localId()) == from && !cut.contains(link)) {
                dest.deliver(from.localId(), FrameCodec.decode(bytes, 0, bytes.length));
            } else {
                framesDropped++;
            }
        });
    }

    private boolean linked(String a, String b) {
        return !cut.contains(a + ">" + b) && !cut.contains(b + ">" + a);
    }

    /** The live endpoints {@code id} can talk to both ways. */
    Set<String> reachableFrom(String id) {
        Set<String> out = new TreeSet<>();
        for (String peer : endpoints.keySet()) {
            if (!peer.equals(id) && linked(id, peer)) {
                out.add(peer);
            }
        }
        return out;
    }

    void cut(String from, String to) {
        cut.add(from + ">" + to);
    }

    /** Cuts {@code node} off from every one of {@code others}, both ways. */
    void isolate(String node, Iterable<String> others) {
        for (String o : others) {
            if (!o.equals(node)) {
                cut(node, o);
                cut(o, node);
            }
        }
    }

    void lossAndDelay(double loss, double minDelayMillis, double maxDelayMillis) {
        this.loss = loss;
        this.minDelayMillis = minDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
    }

    /** Every link restored, no loss, short delays. */
    void heal() {
        cut.clear();
        lossAndDelay(0, 0.1, 2);
    }

    String describe() {
        return "cut " + new TreeSet<>(cut) + String.format(", loss %.2f, delay %.1f-%.1f ms", loss, minDelayMillis,
                maxDelayMillis);
    }
}
