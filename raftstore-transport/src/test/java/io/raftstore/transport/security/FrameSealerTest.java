package io.raftstore.transport.security;

import io.raftstore.core.message.RequestVote;
import io.raftstore.transport.Frame;
import io.raftstore.transport.FrameCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frame sealing between nodes on an in-memory network that records every byte sent. */
class FrameSealerTest {

    /** Held here: a logger nobody references may be collected, and a new one would have no handler. */
    private static final List<Logger> LOGGERS = List.of(Logger.getLogger(FrameSealer.class.getName()),
            Logger.getLogger(FrameProtection.class.getName()));
    private static final byte[] SECRET = "value-that-must-not-leak-7731".getBytes(StandardCharsets.UTF_8);

    /** One packet in flight. */
    private record Packet(String from, String to, byte[] bytes) {
    }

    private final ArrayDeque<Packet> inFlight = new ArrayDeque<>();
    private final List<Packet> wire = new ArrayList<>();
    private final Map<String, FrameProtection> nodes = new HashMap<>();
    private final Map<String, List<Frame>> delivered = new HashMap<>();
    private final List<String> log = new ArrayList<>();
    private final Handler logHandler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (log) {
                log.add(r.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        LOGGERS.forEach(l -> l.addHandler(logHandler));
    }

    @AfterEach
    void releaseLogs() {
        LOGGERS.forEach(l -> l.removeHandler(logHandler));
    }

    /** Starts (or restarts, with a new run) node {@code id} holding {@code credentials}. */
    private void node(String id, NodeCredentials credentials) {
        FrameProtection.Wire out = (to, bytes) -> {
            Packet p = new Packet(id, to, bytes.clone());
            wire.add(p);
            inFlight.add(p);
        };
        nodes.put(id, credentials == null ? FrameProtection.plain(out) : new FrameSealer(credentials, out));
    }

    private void pump() {
        for (int i = 0; i < 1000 && !inFlight.isEmpty(); i++) {
            Packet p = inFlight.poll();
            deliverAs(p.from(), p.to(), p.bytes());
        }
        assertTrue(inFlight.isEmpty(), "the nodes kept greeting each other");
    }

    private Frame deliverAs(String from, String to, byte[] bytes) {
        FrameProtection receiver = nodes.get(to);
        Frame f = receiver == null ? null : receiver.receive(from, bytes, () -> { });
        if (f != null) {
            delivered.computeIfAbsent(to, k -> new ArrayList<>()).add(f);
        }
        return f;
    }

    private static NodeCredentials cluster(String id) {
        return TestPki.authority("cluster").credentials(id);
    }

    private static Frame.ForwardRequest write(String origin, long id) {
        return new Frame.ForwardRequest(id, origin, SECRET, 0, 0);
    }

    private List<Frame> at(String id) {
        return delivered.getOrDefault(id, List.of());
    }

    private boolean logged(String... parts) {
        synchronized (log) {
            return log.stream().anyMatch(line -> List.of(parts).stream().allMatch(line::contains));
        }
    }

    @Test
    void framesWaitForTheHelloThenTravelEncryptedBothWays() {
        node("n1", cluster("n1"));
        node("n2", cluster("n2"));
        nodes.get("n1").send("n2", FrameCodec.encode(write("n1", 1)));
        nodes.get("n1").send("n2", FrameCodec.encode(write("n1", 2)));
        pump();
        nodes.get("n2").send("n1", FrameCodec.encode(Frame.ForwardResponse.ok(1, SECRET)));
        pump();

        assertEquals(2, at("n2").size());
        assertArrayEquals(SECRET, ((Frame.ForwardRequest) at("n2").get(1)).command());
        assertArrayEquals(SECRET, ((Frame.ForwardResponse) at("n1").get(0)).result());
        for (Packet p : wire) {
            assertFalse(contains(p.bytes(), SECRET), "the value crossed the wire in clear text: " + p);
        }
    }

    @Test
    void aNodeWithAnotherCasCertificateIsRefusedAndBothSidesSayWhy() {
        node("n1", cluster("n1"));
        node("n4", TestPki.authority("foreign").credentials("n4"));
        nodes.get("n4").send("n1", FrameCodec.encode(write("n4", 1)));
        pump();

        assertTrue(at("n1").isEmpty());
        assertTrue(logged("REFUSED n4", "not issued by a CA this cluster trusts"), log.toString());
        assertTrue(logged("n1 REFUSED this node", "not issued by a CA this cluster trusts"), log.toString());
    }

    @Test
    void aCertificateOfAnotherNodeIsRefused() throws Exception {
        node("n1", cluster("n1"));
        // n3 presents n2's certificate (and holds n2's key): a stolen certificate is valid only under its own name.
        node("n3", NodeCredentials.load(TestPki.authority("cluster").keystore("n2"), TestPki.password(), "n2"));
        nodes.get("n3").send("n1", FrameCodec.encode(write("n3", 1)));
        pump();

        assertTrue(at("n1").isEmpty());
        assertTrue(logged("REFUSED n3", "presented the certificate of 'n2'"), log.toString());
    }

    @Test
    void aNodeWithoutCredentialsIsRefusedAndBothSidesSayWhy() {
        node("n1", cluster("n1"));
        node("n4", null);
        nodes.get("n4").send("n1", FrameCodec.encode(write("n4", 1)));
        pump();

        assertTrue(at("n1").isEmpty());
        assertTrue(logged("REFUSED n4", "unsealed frame"), log.toString());
        assertTrue(logged("n1 protects node-to-node traffic", "security=off"), log.toString());
    }

    @Test
    void n2CannotSendAsN3() {
        node("n1", cluster("n1"));
        node("n2", cluster("n2"));
        node("n3", cluster("n3"));
        nodes.get("n2").send("n1", FrameCodec.encode(write("n2", 1)));
        nodes.get("n3").send("n1", FrameCodec.encode(write("n3", 2)));
        pump();
        assertEquals(2, at("n1").size());

        // n2 seals a frame with everything it holds and puts it on the network under n3's name: it lacks the
        // n3-n1 key, so n1 cannot open it.
        int before = wire.size();
        nodes.get("n2").send("n1", FrameCodec.encode(write("n3", 3)));
        byte[] sealedByN2 = wire.get(before).bytes();
        assertNull(deliverAs("n3", "n1", sealedByN2));
        assertTrue(logged("claims to come from n3"), log.toString());

        // Inside a frame n2 really sealed, Raft messages or a forwarded request that name n3 as their sender.
        nodes.get("n2").send("n1", FrameCodec.encode(new Frame.RaftBatch(List.of(
                new RequestVote("n3", "n1", 9, 10, 9, false, false)))));
        nodes.get("n2").send("n1", FrameCodec.encode(write("n3", 4)));
        pump();
        assertEquals(2, at("n1").size(), "n1 accepted a frame in which n2 speaks as n3: " + at("n1"));
        assertTrue(logged("dropped a frame from n2 that speaks as n3"), log.toString());

        // n1's cipher for n3's frames failed on the forgery above; n3's own frames still open with it.
        nodes.get("n3").send("n1", FrameCodec.encode(write("n3", 5)));
        pump();
        assertEquals(3, at("n1").size(), "n3's genuine frame after the forgery: " + at("n1"));
    }

    @Test
    void aReplayedFrameIsDropped() {
        node("n1", cluster("n1"));
        node("n2", cluster("n2"));
        nodes.get("n1").send("n2", FrameCodec.encode(write("n1", 1)));
        pump();
        assertEquals(1, at("n2").size());
        Packet sealed = wire.stream().filter(p -> p.bytes()[0] == FrameSealer.SEALED).findFirst().orElseThrow();
        assertNull(deliverAs(sealed.from(), sealed.to(), sealed.bytes()));
        assertEquals(1, at("n2").size());
    }

    @Test
    void aRestartedNodeIsGreetedAgainAndOldFramesDoNotOpen() {
        node("n1", cluster("n1"));
        node("n2", cluster("n2"));
        nodes.get("n1").send("n2", FrameCodec.encode(write("n1", 1)));
        pump();
        Packet old = wire.stream().filter(p -> p.bytes()[0] == FrameSealer.SEALED).findFirst().orElseThrow();

        node("n2", cluster("n2")); // a new run: a new epoch, nothing remembered
        assertNull(deliverAs(old.from(), old.to(), old.bytes()), "a frame recorded before the restart opened");
        pump();
        nodes.get("n1").send("n2", FrameCodec.encode(write("n1", 2)));
        pump();
        nodes.get("n1").send("n2", FrameCodec.encode(write("n1", 3)));
        pump();
        List<Long> ids = at("n2").stream().map(f -> ((Frame.ForwardRequest) f).correlationId()).toList();
        assertTrue(ids.contains(3L), "after the restart n2 received " + ids);
        assertNull(deliverAs(old.from(), old.to(), old.bytes()), "a frame of the earlier run opened once greeted");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
