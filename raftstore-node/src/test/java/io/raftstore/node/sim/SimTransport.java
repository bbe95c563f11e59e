package io.raftstore.node.sim;

import io.raftstore.transport.Frame;
import io.raftstore.transport.Transport;

import java.util.Set;

/**
 * One node's endpoint on the {@link SimNet}. Whatever it hands the driver's listener queues work on the
 * driver's loop, so it then asks its node for a turn ({@code wake}), as a frame arriving wakes a real loop
 * thread. A new one is made at every (re)start: frames for an old incarnation die with it.
 */
final class SimTransport implements Transport {

    private final SimNet net;
    private final String id;
    private final Runnable wake;
    private Listener listener;
    private boolean open;

    SimTransport(SimNet net, String id, Runnable wake) {
        this.net = net;
        this.id = id;
        this.wake = wake;
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        open = true;
        net.attach(this);
    }

    @Override
    public String localId() {
        return id;
    }

    @Override
    public void send(String to, Frame frame) {
        if (open) {
            net.send(this, to, frame);
        }
    }

    @Override
    public Set<String> reachable() {
        return open ? net.reachableFrom(id) : Set.of();
    }

    void deliver(String from, Frame frame) {
        if (open) {
            listener.onFrame(from, frame);
            wake.run();
        }
    }

    void peerLost(String peer) {
        if (open) {
            listener.onPeerLost(peer);
            wake.run();
        }
    }

    /** Closed gracefully or by a crash: either way the connections close. Idempotent. */
    @Override
    public void close() {
        if (open) {
            open = false;
            net.detach(this);
        }
    }
}
