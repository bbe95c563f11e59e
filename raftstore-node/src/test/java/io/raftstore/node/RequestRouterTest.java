package io.raftstore.node;

import io.raftstore.core.FailureReason;
import io.raftstore.core.Membership;
import io.raftstore.core.RaftConfig;
import io.raftstore.core.RaftNode;
import io.raftstore.core.ReadConsistency;
import io.raftstore.core.storage.RaftStorage;
import io.raftstore.core.storage.memory.MemoryHardStateStore;
import io.raftstore.core.storage.memory.MemoryLogStore;
import io.raftstore.core.storage.memory.MemorySnapshotStore;
import io.raftstore.transport.Frame;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The router on its own, with a follower engine and a transport that records what is sent. */
class RequestRouterTest {

    private final RecordingTransport transport = new RecordingTransport();

    private RequestRouter router(long graceNanos) {
        return router(graceNanos, TimeUnit.SECONDS.toNanos(5));
    }

    private RequestRouter router(long graceNanos, long timeoutNanos) {
        RequestRouter router = new RequestRouter("n1", transport, timeoutNanos, graceNanos);
        router.attach(new RaftNode(RaftConfig.defaults("n1", Membership.ofVoters("n1", "n2", "n3")),
                new RaftStorage(new MemoryLogStore(), new MemoryHardStateStore(), new MemorySnapshotStore()), 0,
                new SplittableRandom(1)));
        return router;
    }

    /** A write of {@code clientId} (0: no session) forwarded to n2, the leader the router knows. */
    private PendingRequest.Write forwardedToN2(RequestRouter router, long clientId) {
        PendingRequest.Write w = new PendingRequest.Write(new byte[] {1}, clientId, clientId == 0 ? 0 : 1, null,
                router.deadlineFromNow());
        router.onLeader("n2");
        router.submitWrite(w);
        assertEquals("n2", transport.sent.get(transport.sent.size() - 1));
        return w;
    }

    private static FailureReason failure(PendingRequest.Write w) {
        return failed(w).reason();
    }

    private static RequestFailedException failed(PendingRequest.Write w) {
        ExecutionException e = assertThrows(
                ExecutionException.class, () -> w.future.get(0, TimeUnit.SECONDS));
        return (RequestFailedException) e.getCause();
    }

    @Test
    void theDriverIsAskedForPausesRightBeforeALeaseReadAndOnlyThen() {
        RequestRouter router = router(0);
        List<String> asked = new ArrayList<>();
        router.beforeLeaseReads(() -> asked.add("pause?"));
        router.submitRead(new PendingRequest.Read<>(ReadConsistency.LINEARIZABLE, () -> 1,
                router.deadlineFromNow()));
        router.submitRead(new PendingRequest.Read<>(ReadConsistency.STALE, () -> 1,
                router.deadlineFromNow()));
        assertEquals(List.of(), asked);
        router.submitRead(new PendingRequest.Read<>(ReadConsistency.LEASE, () -> 1,
                router.deadlineFromNow()));
        assertEquals(List.of("pause?"), asked);
    }

    @Test
    void aNodeCutOffFromAMajorityFailsWhatWaitsForALeaderAtOnceInsteadOfAtTheDeadline() {
        RequestRouter router = router(0); // a five-second request timeout
        PendingRequest.Write w = new PendingRequest.Write(new byte[] {1}, 0, 0, null, router.deadlineFromNow());
        router.submitWrite(w); // no leader known: parked
        router.onTick(false);
        assertFalse(w.future.isDone(), "with a majority reachable an election may still bring a leader");
        router.onTick(true);
        RequestFailedException e = failed(w);
        assertEquals(FailureReason.NOT_LEADER, e.reason(), e.getMessage());
        assertFalse(e.mayHaveTakenEffect(), "it was never sent anywhere");
        assertTrue(e.getMessage().contains("fewer than a majority"), e.getMessage());
        assertEquals(List.of(), transport.sent);
    }

    @Test
    void aWriteWithoutSessionTakesTheAnswerOfTheLeaderItWasForwardedToAfterAnotherOneTookOver() throws Exception {
        RequestRouter router = router(TimeUnit.SECONDS.toNanos(5));
        PendingRequest.Write w = forwardedToN2(router, 0);
        router.onLeader("n3"); // a leadership transfer, n2 still alive
        router.afterReady();
        router.onTick();
        assertFalse(w.future.isDone(), "no 503 while n2 may still answer");
        router.onForwardResponse(Frame.ForwardResponse.ok(transport.forwarded(0).correlationId(), new byte[] {7}));
        assertArrayEquals(new byte[] {7}, w.future.get(0, TimeUnit.SECONDS));
    }

    @Test
    void aWriteWithoutSessionFailsAsUnknownWhenTheReplacedLeaderStaysSilentOrIsLost() {
        RequestRouter router = router(0);
        PendingRequest.Write silent = forwardedToN2(router, 0);
        router.onLeader("n3");
        router.onTick();
        assertEquals(FailureReason.OUTCOME_UNKNOWN, failure(silent), "past the grace");

        RequestRouter patient = router(TimeUnit.SECONDS.toNanos(5));
        PendingRequest.Write lost = forwardedToN2(patient, 0);
        patient.onPeerLost("n2");
        assertEquals(FailureReason.OUTCOME_UNKNOWN, failure(lost), "at once when its connections are gone");
    }

    @Test
    void aWriteWithASessionGoesToTheNewLeaderAgainWhenTheOldOneIsReplacedOrLost() {
        RequestRouter router = router(TimeUnit.SECONDS.toNanos(5));
        forwardedToN2(router, 42);
        router.onLeader("n3");
        router.afterReady();
        assertEquals(List.of("n2", "n3"), transport.sent, "the session makes the second attempt exactly-once");

        transport.sent.clear();
        RequestRouter other = router(TimeUnit.SECONDS.toNanos(5));
        PendingRequest.Write w = forwardedToN2(other, 43);
        other.onPeerLost("n2");
        other.afterReady();
        assertEquals(List.of("n2", "n2"), transport.sent, "parked and sent again to the leader it knows");
        assertFalse(w.future.isDone());
    }

    @Test
    void aSessionWriteWhoseLeaderWasLostBeforeAnsweringIsNeverReportedAsNotWrittenLater() {
        // n2 may have applied it before it was lost; whatever later attempts meet, the outcome stays unknown.
        RequestRouter router = router(TimeUnit.SECONDS.toNanos(5), 0); // every deadline passes at the next tick
        PendingRequest.Write expired = forwardedToN2(router, 42);
        router.onPeerLost("n2");
        router.onLeader(null); // the engine forgets its leader too
        router.afterReady();
        router.onTick();
        RequestFailedException e = failed(expired);
        assertTrue(e.mayHaveTakenEffect(), e.reason() + ": " + e.getMessage());
        assertFalse(e.getMessage().contains("nothing was written"), e.getMessage());

        RequestRouter other = router(TimeUnit.SECONDS.toNanos(5));
        PendingRequest.Write refused = forwardedToN2(other, 43);
        other.onPeerLost("n2");
        other.onLeader("n3");
        other.afterReady();
        assertEquals("n3", transport.sent.get(transport.sent.size() - 1));
        long lastForward = transport.forwarded(transport.frames.size() - 1).correlationId();
        other.onForwardResponse(new Frame.ForwardResponse(lastForward,
                FailureReason.REJECTED, null, "n3", "too much uncommitted"));
        e = failed(refused);
        assertTrue(e.mayHaveTakenEffect(), "n3 refusing the second attempt says nothing of the first: " + e.reason());
    }

    @Test
    void aWriteParkedForWantOfALeaderGoesToTheLeaderAsSoonAsOneIsKnownNotAtTheNextTick() {
        RequestRouter router = router(TimeUnit.SECONDS.toNanos(5));
        PendingRequest.Write w = new PendingRequest.Write(new byte[] {1}, 0, 0, null, router.deadlineFromNow());
        router.submitWrite(w);
        assertTrue(transport.sent.isEmpty(), "no leader known: the write waits");

        router.onLeader("n2");
        assertTrue(transport.sent.isEmpty(), "not in the middle of a Ready");
        router.afterReady();
        assertEquals(List.of("n2"), transport.sent, "forwarded once the Ready is done, without waiting for a tick");
        router.afterReady();
        assertEquals(List.of("n2"), transport.sent, "and only once");
    }
}
