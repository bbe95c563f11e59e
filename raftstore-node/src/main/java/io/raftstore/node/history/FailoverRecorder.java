package io.raftstore.node.history;

import io.raftstore.core.LeaderChange;

import java.time.Clock;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the engine's {@link LeaderChange}s into {@link FailoverEvent}s, adding what only the driver knows:
 * wall-clock time and how long no leader served: from the last message of the old leader (or, when
 * there was none, from when this node lost sight of a leader) to the new leader. Event loop only.
 */
public final class FailoverRecorder {

    private static final Logger LOG = Logger.getLogger(FailoverRecorder.class.getName());

    private final FailoverHistory history;
    private final Clock clock;
    private final LongSupplier nanoTime;
    /** When this node last lost sight of a leader; a node starts leaderless. */
    private long leaderlessSince;
    private boolean leaderKnown;
    /** The last leader this node knew (kept while none is known, to measure from its last message). */
    private String leader;
    /** When a message from {@link #leader} last arrived; 0 before the first. */
    private long lastLeaderContact;

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
        if (leaderId != null && !leaderId.equals(leader)) {
            lastLeaderContact = 0;
        }
        leaderKnown = leaderId != null;
        if (leaderId != null) {
            leader = leaderId;
        }
    }

    /**
     * A message from {@code nodeId} arrived. A leader that dies is still "known" until the election
     * timeout passes; its last message is the better estimate of when the cluster lost it.
     */
    public void heardFrom(String nodeId) {
        if (leaderKnown && nodeId.equals(leader)) {
            lastLeaderContact = nanoTime.getAsLong();
        }
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
            long since = leaderKnown ? now : leaderlessSince;
            if (change.oldLeader() != null && change.oldLeader().equals(leader) && lastLeaderContact != 0) {
                since = Math.min(since, lastLeaderContact);
            }
            leaderless = (now - since) / 1_000_000;
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
