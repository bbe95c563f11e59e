package io.raftstore.node;

import io.raftstore.core.Membership;
import io.raftstore.core.RaftConfig;
import io.raftstore.core.RaftNode;
import io.raftstore.core.storage.RaftStorage;
import io.raftstore.core.storage.memory.MemoryHardStateStore;
import io.raftstore.core.storage.memory.MemoryLogStore;
import io.raftstore.core.storage.memory.MemorySnapshotStore;
import io.raftstore.transport.Frame;
import io.raftstore.transport.Transport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The router on its own, with a follower engine and a transport that records what is sent. */
class RequestRouterTest {

    private final List<String> sent = new ArrayList<>();

    private final Transport recording = new Transport() {
        @Override
        public void start(Listener listener) {
        }

        @Override
        public String localId() {
            return "n1";
        }

        @Override
        public void send(String to, Frame frame) {
            assertInstanceOf(Frame.ForwardRequest.class, frame);
            sent.add(to);
        }

        @Override
        public Set<String> reachable() {
            return Set.of();
        }

        @Override
        public void close() {
        }
    };

    @Test
    void aWriteParkedForWantOfALeaderGoesToTheLeaderAsSoonAsOneIsKnownNotAtTheNextTick() {
        RequestRouter router = new RequestRouter("n1", recording, TimeUnit.SECONDS.toNanos(5));
        router.attach(new RaftNode(RaftConfig.defaults("n1", Membership.ofVoters("n1", "n2", "n3")),
                new RaftStorage(new MemoryLogStore(), new MemoryHardStateStore(), new MemorySnapshotStore()), 0,
                new SplittableRandom(1)));
        PendingRequest.Write w = new PendingRequest.Write(new byte[] {1}, 0, 0, null, router.deadlineFromNow());
        router.submitWrite(w);
        assertTrue(sent.isEmpty(), "no leader known: the write waits");

        router.onLeader("n2");
        assertTrue(sent.isEmpty(), "not in the middle of a Ready");
        router.afterReady();
        assertEquals(List.of("n2"), sent, "forwarded once the Ready is done, without waiting for a tick");
        router.afterReady();
        assertEquals(List.of("n2"), sent, "and only once");
    }
}
