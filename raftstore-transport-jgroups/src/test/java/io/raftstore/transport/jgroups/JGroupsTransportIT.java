package io.raftstore.transport.jgroups;

import io.raftstore.transport.Frame;
import io.raftstore.transport.Transport;
import io.raftstore.transport.security.NodeCredentials;
import io.raftstore.transport.security.PeerRefusedException;
import io.raftstore.transport.security.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real channels over 127.0.0.1, with and without node certificates. */
class JGroupsTransportIT {

    private static final int BASE = 17850;
    private final List<JGroupsTransport> open = new ArrayList<>();
    /** Who reported whom lost, as "reporter:lost". */
    private final LinkedBlockingQueue<String> lost = new LinkedBlockingQueue<>();
    /** The names of the threads that delivered frames. */
    private final Set<String> deliveringThreads = ConcurrentHashMap.newKeySet();

    @AfterEach
    void closeAll() {
        open.forEach(JGroupsTransport::close);
    }

    private JGroupsTransport start(String id, List<PeerAddress> members, LinkedBlockingQueue<String> inbox,
                                   NodeCredentials credentials) throws Exception {
        PeerAddress self = members.stream().filter(m -> m.nodeId().equals(id)).findFirst().orElseThrow();
        JGroupsTransport t = new JGroupsTransport(new JGroupsSettings("transport-it", self, members, 1000),
                credentials, null);
        open.add(t);
        t.start(new Transport.Listener() {
            @Override
            public void onFrame(String from, Frame frame) {
                deliveringThreads.add(Thread.currentThread().getName());
                inbox.add(from + ":" + ((Frame.ForwardRequest) frame).correlationId());
            }

            @Override
            public void onPeerLost(String nodeId) {
                lost.add(id + ":" + nodeId);
            }
        });
        return t;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    private static NodeCredentials credentials(boolean sealed, String ca, String id) {
        return sealed ? TestPki.authority(ca).credentials(id) : null;
    }

    @ParameterizedTest(name = "sealed={0}")
    @ValueSource(booleans = {false, true})
    void framesFlowByNodeIdAndACrashIsNoticed(boolean sealed) throws Exception {
        List<PeerAddress> members = List.of(new PeerAddress("a", "127.0.0.1", BASE),
                new PeerAddress("b", "127.0.0.1", BASE + 1));
        var inboxA = new LinkedBlockingQueue<String>();
        var inboxB = new LinkedBlockingQueue<String>();
        JGroupsTransport a = start("a", members, inboxA, credentials(sealed, "cluster", "a"));
        JGroupsTransport b = start("b", members, inboxB, credentials(sealed, "cluster", "b"));
        await("a view of both", () -> a.reachable().equals(Set.of("b")) && b.reachable().equals(Set.of("a")));

        for (int i = 1; i <= 100; i++) {
            a.send("b", new Frame.ForwardRequest(i, "a", new byte[]{(byte) i}, 0, 0));
        }
        for (int i = 1; i <= 100; i++) {
            String got = inboxB.poll(5, TimeUnit.SECONDS);
            assertNotNull(got, "frame " + i + " not delivered");
            assertEquals("a:" + i, got, "frames from one sender arrive in order");
        }
        b.send("a", new Frame.ForwardRequest(7, "b", new byte[0], 0, 0));
        assertEquals("b:7", inboxA.poll(5, TimeUnit.SECONDS));
        // RaftFramesUpDirectly: frames come up on the thread that read them (TCP_NIO2's selector), not a pool's.
        assertTrue(deliveringThreads.stream().allMatch(n -> n.startsWith("NioServer.Selector")),
                "frames delivered by the socket's reader thread, not handed to a pool: " + deliveringThreads);

        a.send("nobody", new Frame.ForwardRequest(1, "a", new byte[0], 0, 0)); // dropped, no exception

        assertTrue(lost.isEmpty(), "nobody lost while both run: " + lost);
        long crashedAt = System.nanoTime();
        b.crash();
        assertEquals("a:b", lost.poll(20, TimeUnit.SECONDS), "a hears at once that b's connection closed");
        long hintMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crashedAt);
        await("a to drop the crashed b", () -> a.reachable().isEmpty());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crashedAt);
        System.out.println("b's closed connection reported after " + hintMillis + " ms; JGroups' view dropped b after "
                + millis + " ms");
    }

    /** A node with another CA's certificate, or with none, is kept out of the view; the others go on. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"foreign", "none"})
    void aNodeWithoutTheClustersCertificateCannotJoin(String kind) throws Exception {
        List<PeerAddress> members = List.of(new PeerAddress("a", "127.0.0.1", BASE),
                new PeerAddress("b", "127.0.0.1", BASE + 1), new PeerAddress("c", "127.0.0.1", BASE + 2));
        var inboxA = new LinkedBlockingQueue<String>();
        var inboxB = new LinkedBlockingQueue<String>();
        JGroupsTransport a = start("a", members, inboxA, credentials(true, "cluster", "a"));
        start("b", members, inboxB, credentials(true, "cluster", "b"));
        await("a view of a and b", () -> a.reachable().equals(Set.of("b")));

        NodeCredentials intruder = kind.equals("none") ? null : credentials(true, "foreign", "c");
        PeerRefusedException refused = assertThrows(PeerRefusedException.class,
                () -> start("c", members, new LinkedBlockingQueue<>(), intruder));
        assertTrue(refused.getMessage().contains("REFUSED by the cluster"), refused.getMessage());
        assertTrue(refused.getMessage().contains(kind.equals("none") ? "without node certificates"
                : "not issued by a CA this cluster trusts"), refused.getMessage());

        assertEquals(Set.of("b"), a.reachable());
        a.send("b", new Frame.ForwardRequest(1, "a", new byte[0], 0, 0));
        assertEquals("a:1", inboxB.poll(5, TimeUnit.SECONDS));
    }
}
