package io.raftstore.transport.jgroups;

import org.jgroups.JChannel;
import org.jgroups.View;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stack {@link JGroupsSettings} builds, on 127.0.0.1, when only one member's name resolves: b and c are listed
 * by names that do not resolve (a StatefulSet's pods whose records are not published yet), a by its address. All
 * three start alone; b and c find a at their merge rounds. Seen in DnsDiscoveryIT: without a passing on the
 * addresses it knows, b and c never learn each other's, and a flips for ever between views {b, a} and {c, a}
 * (the merge leader is the lowest address among the coordinators, and b cannot ask c for its view, nor c b's).
 */
class OneKnownMemberIT {

    private static final int BASE = 17870;
    private static final List<PeerAddress> MEMBERS = List.of(new PeerAddress("a", "127.0.0.1", BASE),
            new PeerAddress("b", "b.raftstore.invalid", BASE + 1), new PeerAddress("c", "c.raftstore.invalid", BASE + 2));
    private final List<JChannel> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(JChannel::close);
    }

    @Test
    void membersThatKnowOnlyOneAddressFormOneView() throws Exception {
        // a sorts last, so that b or c leads every merge: the case that needs the other's address from a.
        JChannel b = start(1, 1);
        JChannel c = start(2, 2);
        JChannel a = start(0, 3);
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(30);
        while (!(threeIn(a) && threeIn(b) && threeIn(c))) {
            assertTrue(System.nanoTime() < deadline, "no view of all three within 30 s: a " + a.getView() + ", b "
                    + b.getView() + ", c " + c.getView());
            Thread.sleep(50);
        }
        System.out.printf("one view of all three %d ms after a started%n", (System.nanoTime() - started) / 1_000_000);
    }

    private JChannel start(int member, long uuid) throws Exception {
        PeerAddress self = MEMBERS.get(member);
        JGroupsSettings settings = new JGroupsSettings("one-known-member-it", self, MEMBERS, 1000, "127.0.0.1", null);
        String xml = settings.toXml(InetAddress.getByName("127.0.0.1"));
        JChannel ch = new JChannel(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        open.add(ch);
        ch.addAddressGenerator(() -> new UUID(0, uuid));
        ch.name(self.nodeId());
        ch.connect("one-known-member-it");
        return ch;
    }

    private static boolean threeIn(JChannel ch) {
        View v = ch.getView();
        return v != null && v.size() == 3;
    }
}
