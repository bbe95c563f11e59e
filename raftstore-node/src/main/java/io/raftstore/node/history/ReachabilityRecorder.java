package io.raftstore.node.history;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the transport's reachable set into {@link ReachabilityEvent}s: a peer recorded once it was reachable and
 * is not any more, and again when it comes back. A node that has not seen a peer yet records nothing about it (it
 * is starting, not losing it); a node restarted while a peer was down records the peer's return, because it starts
 * from the state its history last recorded; a peer removed from the cluster is forgotten, not recorded lost for
 * ever. Called by one thread at a time (the transport's, which delivers views one by one).
 */
public final class ReachabilityRecorder {

    private static final Logger LOG = Logger.getLogger(ReachabilityRecorder.class.getName());
    /** How many events are read back at start to learn each peer's last recorded state. */
    private static final int LOOK_BACK = 1000;

    private final FailoverHistory history;
    private final Clock clock;
    private final String self;
    /** Per peer: true reachable, false recorded unreachable; absent while never seen. */
    private final Map<String, Boolean> state = new HashMap<>();

    public ReachabilityRecorder(FailoverHistory history, Clock clock, String self) {
        this.history = history;
        this.clock = clock;
        this.self = self;
        try {
            history.reachability(LOOK_BACK).forEach(e -> state.put(e.peer(), e.reachable()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not read the recorded reachability; starting from nothing", e);
        }
    }

    /** The peers reachable now ({@code self} and non-members are ignored), and the cluster's members now. */
    public void reachableNow(Set<String> reachable, Set<String> members) {
        state.keySet().retainAll(members);
        for (String peer : reachable) {
            if (!peer.equals(self) && members.contains(peer) && Boolean.FALSE.equals(state.put(peer, true))) {
                record(peer, true);
            }
        }
        for (Map.Entry<String, Boolean> e : state.entrySet()) {
            if (e.getValue() && !reachable.contains(e.getKey())) {
                e.setValue(false);
                record(e.getKey(), false);
            }
        }
    }

    private void record(String peer, boolean reachable) {
        ReachabilityEvent event = new ReachabilityEvent(clock.instant(), peer, reachable);
        try {
            history.recordReachability(event);
        } catch (RuntimeException e) {
            // Diagnostics, like the failover history: failing to keep it must not stop the node.
            LOG.log(Level.WARNING, "could not record " + event, e);
        }
    }
}
