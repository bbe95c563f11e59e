package io.raftstore.node;

import io.raftstore.core.RaftNode;

import java.util.function.LongSupplier;

/**
 * Until when a leader's LEASE reads may be answered on their callers' threads, from the state machine as it is,
 * without a hand-off to the loop ({@link NodeDriver#read}).
 *
 * <p>The loop {@link #refresh refreshes} it after each turn and again right after taking each Ready, before that
 * Ready's messages go out. It holds while the engine's lease does ({@link RaftNode#leaseTicksLeft()}) and only
 * while everything known committed is applied: an index this leader tells a follower's ReadIndex read, or answers
 * a write with, is then in the state such a read sees. Its end is taken in real time, on the node's clock, from the
 * tick the engine counted it from, so a loop that stalls (a pause the engine has not heard of yet, a wait in a disk
 * write or for a core) does not stretch it.
 *
 * <p>Threads: {@link #refresh} and {@link #withdraw} on the loop thread; {@link #holdsAt} on any.
 */
final class CallerLease {

    private record Until(long nanos) {
    }

    private final long tickNanos;
    private final LongSupplier appliedIndex;
    /** Null: no lease reads on callers' threads now. */
    private volatile Until until;

    /** @param appliedIndex the state machine's applied index (asked only while the engine holds a lease) */
    CallerLease(long tickNanos, LongSupplier appliedIndex) {
        this.tickNanos = tickNanos;
        this.appliedIndex = appliedIndex;
    }

    /** @param lastTickNanos when the loop delivered the engine's latest tick */
    void refresh(RaftNode node, long lastTickNanos) {
        long left = node.leaseTicksLeft();
        if (left > 0 && appliedIndex.getAsLong() >= node.commitIndex()) {
            long nanos = lastTickNanos + left * tickNanos;
            Until held = until;
            if (held == null || held.nanos != nanos) {
                until = new Until(nanos);
            }
        } else {
            until = null;
        }
    }

    void withdraw() {
        until = null;
    }

    boolean holdsAt(long nanos) {
        Until held = until;
        return held != null && nanos - held.nanos < 0;
    }
}
