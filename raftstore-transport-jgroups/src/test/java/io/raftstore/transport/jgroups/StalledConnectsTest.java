package io.raftstore.transport.jgroups;

import org.jgroups.Address;
import org.jgroups.blocks.cs.Connection;
import org.jgroups.stack.IpAddress;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StalledConnectsTest {

    private static final long LIMIT = TimeUnit.SECONDS.toNanos(1);

    private final Map<Address, Connection> table = new ConcurrentHashMap<>();
    private final List<Connection> closed = new ArrayList<>();
    private long now = 1_000_000_000L;
    private final StalledConnects reaper = new StalledConnects(table, closed::add, LIMIT, () -> now);

    @Test
    void aConnectStillPendingAfterTheLimitIsClosedAndAnEstablishedOneIsNot() throws Exception {
        FakeConnection behindTheCut = put(1, true);
        put(2, false); // established: never closed
        reaper.run();
        now += LIMIT / 2;
        reaper.run();
        assertTrue(closed.isEmpty(), "closed before the limit: " + closed);
        now += LIMIT / 2;
        reaper.run();
        assertEquals(List.of(behindTheCut), closed);
    }

    @Test
    void aConnectThatCompletesInTimeIsForgottenAndAFreshOneGetsTheFullLimit() throws Exception {
        FakeConnection slow = put(1, true);
        reaper.run();
        now += LIMIT - 1;
        slow.pending = false; // connected just in time
        reaper.run();
        assertEquals(0, reaper.watched());
        FakeConnection next = put(2, true);
        reaper.run(); // first seen now: it gets a whole second from here
        now += LIMIT - 1;
        reaper.run();
        assertTrue(closed.isEmpty(), "closed a connect younger than the limit: " + closed);
        now += 1;
        reaper.run();
        assertEquals(List.of(next), closed);
    }

    private FakeConnection put(int port, boolean pending) throws Exception {
        IpAddress peer = new IpAddress("127.0.0.1", 17_000 + port);
        FakeConnection c = new FakeConnection(peer, pending);
        table.put(peer, c);
        return c;
    }

    /** A connection whose state the test sets: JGroups' NioConnection needs a selector and a peer. */
    private static final class FakeConnection extends Connection {
        private final Address peer;
        boolean pending;

        FakeConnection(Address peer, boolean pending) {
            this.peer = peer;
            this.pending = pending;
        }

        @Override
        public boolean isConnected() {
            return !pending;
        }

        @Override
        public boolean isConnectionPending() {
            return pending;
        }

        @Override
        public boolean isClosed() {
            return false;
        }

        @Override
        public Address localAddress() {
            return null;
        }

        @Override
        public Address peerAddress() {
            return peer;
        }

        @Override
        public void flush() {
        }

        @Override
        public void connect(Address dest) {
        }

        @Override
        public void start() {
        }

        @Override
        public void send(byte[] buf, int offset, int length) {
        }

        @Override
        public void send(ByteBuffer buf) {
        }

        @Override
        public String status() {
            return pending ? "connection pending" : "connected";
        }

        @Override
        public void close(boolean graceful) {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return "connection to " + peer;
        }
    }
}
