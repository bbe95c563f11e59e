package io.raftstore.transport.jgroups;

import org.jgroups.Address;
import org.jgroups.blocks.cs.Connection;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Closes outgoing connections that have been connecting for longer than a limit, so that a healed partition
 * heals at once.
 *
 * <p>Why: while a node is cut off (packets dropped), Raft keeps sending to its peers, so JGroups opens connections
 * whose SYNs are dropped. The kernel retries a SYN after 1, 3, 7, 15, 31 s; after a 20-second cut the next retry
 * comes up to 10 s after the heal. The majority's nodes hold such connects to the cut-off node too. Meanwhile
 * JGroups' table keeps the pending connection, and of two nodes connecting to each other the one with the higher
 * address refuses the other's fresh connection ("connection existed and my address won"), so the views merge
 * only when an old SYN finally gets through: 7.6–7.8 s after the heal of an 18 s cut on {@code ./cluster --netns}
 * (2.6–3.4 s with this class). A connection closed after a second of connecting is opened anew by the next send,
 * whose first SYN goes out at once.
 *
 * <p>{@code close} must not tell the connection listeners ({@code BaseServer.closeConnection(c, false)}): a connect
 * that never completed says nothing about the peer's process (see {@link JGroupsTransport}'s peer-loss reports).
 *
 * <h2>Threads</h2>
 * {@link #run} is called by one timer thread at a time; the connection table is JGroups' concurrent map.
 */
final class StalledConnects implements Runnable {

    private final Map<Address, Connection> table;
    private final Consumer<Connection> close;
    private final long limitNanos;
    private final LongSupplier nanoTime;
    /** When each connection still connecting was first seen so; only the timer thread touches it. */
    private final Map<Connection, Long> connectingSince = new IdentityHashMap<>();

    StalledConnects(Map<Address, Connection> table, Consumer<Connection> close, long limitNanos, LongSupplier nanoTime) {
        this.table = table;
        this.close = close;
        this.limitNanos = limitNanos;
        this.nanoTime = nanoTime;
    }

    @Override
    public void run() {
        long now = nanoTime.getAsLong();
        Map<Connection, Long> stillConnecting = new IdentityHashMap<>();
        for (Connection c : table.values()) {
            if (!c.isConnectionPending() || c.isClosed()) {
                continue;
            }
            long since = connectingSince.getOrDefault(c, now);
            if (now - since >= limitNanos) {
                close.accept(c);
            } else {
                stillConnecting.put(c, since);
            }
        }
        connectingSince.clear();
        connectingSince.putAll(stillConnecting);
    }

    /** Connections being watched now (for tests). */
    int watched() {
        return connectingSince.size();
    }
}
