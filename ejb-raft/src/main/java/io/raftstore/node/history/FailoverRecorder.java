package io.raftstore.node.history;

import io.raftstore.core.LeaderChange;

import java.time.Clock;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the engine's {@link LeaderChange}s into {@link FailoverEvent}s, adding what only the driver knows:
 * wall-clock time and how long this node knew no leader. Called from the event loop only.
 */
public final class FailoverRecorder {

    private static final Logger LOG = Logger.getLogger(FailoverRecorder.class.getName());

    private final FailoverHistory history;
    private final Clock clock;
    private final LongSupplier nanoTime;
    /** When this node last lost sight of a leader; a node starts leaderless. */
    private long leaderlessSince;
    private boolean leaderKnown;

    public FailoverRecorder(FailoverHistory history, Clock clock, LongSupplier nanoTime) {
        this.history = history;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.leaderlessSince = nanoTime.getAsLong();
    }

    /** The leader this node knows changed (from the engine's soft state); tracks leaderless periods. */
    public void leaderNow(String leaderId) {
        if (leaderId == null && leaderKnown) {
            leaderlessSince = nanoTime.getAsLong();
        }
        leaderKnown = leaderId != null;
    }

    public void observe(LeaderChange change) {
        long now = nanoTime.getAsLong();
        long leaderless = 0;
        if (change.newLeader() == null) {
            if (leaderKnown) {
                leaderlessSince = now;
                leaderKnown = false;
            }
        } else {
            if (!leaderKnown) {
                leaderless = (now - leaderlessSince) / 1_000_000;
            }
            leaderKnown = true;
        }
        FailoverEvent event = new FailoverEvent(clock.instant(), change.term(), change.oldLeader(),
                change.newLeader(), change.cause(), leaderless);
        try {
            history.record(event);
        } catch (RuntimeException e) {
            // History is diagnostics: failing to keep it must not stop the node.
            LOG.log(Level.WARNING, "could not record " + event, e);
        }
    }
}
