package io.raftstore.node.history;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReachabilityRecorderTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T03:28:20Z"), ZoneOffset.UTC);

    private static final Set<String> MEMBERS = Set.of("n1", "n2", "n3");

    private static List<String> said(FailoverHistory history) {
        return history.reachability(100).stream().map(e -> e.peer() + (e.reachable() ? " back" : " lost")).toList();
    }

    @Test
    void aPeerIsRecordedLostOnlyOnceSeenAndAgainWhenItComesBack() {
        InMemoryFailoverHistory history = new InMemoryFailoverHistory(10);
        ReachabilityRecorder r = new ReachabilityRecorder(history, CLOCK, "n1");
        r.reachableNow(Set.of(), MEMBERS);                 // starting: nobody seen yet, nobody lost
        r.reachableNow(Set.of("n2"), MEMBERS);
        r.reachableNow(Set.of("n2", "n3", "n1"), MEMBERS);
        r.reachableNow(Set.of("n2"), MEMBERS);             // n3 gone
        r.reachableNow(Set.of("n2"), MEMBERS);             // no change, nothing new
        r.reachableNow(Set.of("n2", "n3"), MEMBERS);       // n3 back
        assertEquals(List.of("n3 lost", "n3 back"), said(history));
    }

    /** A node restarted while a peer was down records the peer's return: it starts from what it recorded. */
    @Test
    void aRestartedNodeRecordsTheReturnOfAPeerItHadLost(@TempDir Path dir) {
        try (H2FailoverHistory before = new H2FailoverHistory(dir, 100)) {
            ReachabilityRecorder r = new ReachabilityRecorder(before, CLOCK, "n1");
            r.reachableNow(Set.of("n2", "n3"), MEMBERS);
            r.reachableNow(Set.of("n2"), MEMBERS);
        }
        try (H2FailoverHistory after = new H2FailoverHistory(dir, 100)) {
            ReachabilityRecorder r = new ReachabilityRecorder(after, CLOCK, "n1");
            r.reachableNow(Set.of("n2", "n3"), MEMBERS);
            assertEquals(List.of("n3 lost", "n3 back"), said(after));
        }
    }

    /** A member removed and then stopped is not "lost" for ever: it is no longer a peer to lose. */
    @Test
    void aRemovedMemberIsForgottenNotRecordedLost() {
        InMemoryFailoverHistory history = new InMemoryFailoverHistory(10);
        ReachabilityRecorder r = new ReachabilityRecorder(history, CLOCK, "n1");
        r.reachableNow(Set.of("n2", "n3", "n4"), Set.of("n1", "n2", "n3", "n4"));
        r.reachableNow(Set.of("n2", "n3", "n4"), MEMBERS);   // n4 removed
        r.reachableNow(Set.of("n2", "n3"), MEMBERS);         // then stopped
        r.reachableNow(Set.of("n2", "n3", "n4"), MEMBERS);   // a stranger in the view: not a member
        assertEquals(List.of(), said(history));
    }
}
