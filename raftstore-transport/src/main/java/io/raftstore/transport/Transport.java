package io.raftstore.transport;

import io.raftstore.core.message.RaftMessage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Moves frames between the nodes of one cluster, addressed by node id.
 *
 * <h2>Delivery</h2>
 * Best effort: a frame may be lost (Raft retries), but frames from one sender to one receiver are not
 * reordered while both stay up. Sending never blocks the caller on the network; frames to a node that is
 * not reachable are dropped.
 *
 * <h2>Threads</h2>
 * {@link #send} may be called from any thread. {@link Listener} callbacks arrive on transport threads and
 * must only hand the frame over (to the node's event loop), never block.
 */
public interface Transport extends AutoCloseable {

    /** Receives what arrives for this node. */
    interface Listener {
        void onFrame(String from, Frame frame);

        /** The set of other nodes currently reachable changed. */
        default void onReachableChanged(Set<String> reachable) {
        }

        /**
         * A sign that {@code nodeId}'s process is gone (its connection closed), seen long before any
         * timeout would. A hint, not a verdict: it may be wrong, and silence proves nothing.
         */
        default void onPeerLost(String nodeId) {
        }
    }

    /** Joins the cluster; frames arrive at {@code listener} from now on. */
    void start(Listener listener) throws Exception;

    String localId();

    /** Sends one frame to one node. */
    void send(String to, Frame frame);

    /** Sends Raft messages, one {@link Frame.RaftBatch} per destination, preserving their order. */
    default void sendRaft(List<RaftMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        Map<String, List<RaftMessage>> byDestination = new LinkedHashMap<>();
        for (RaftMessage m : messages) {
            byDestination.computeIfAbsent(m.to(), k -> new ArrayList<>()).add(m);
        }
        byDestination.forEach((to, batch) -> send(to, new Frame.RaftBatch(batch)));
    }

    /** The other nodes currently reachable. */
    Set<String> reachable();

    /** Leaves the cluster and releases every thread and socket. Idempotent. */
    @Override
    void close();
}
