package io.raftstore.node;

import io.raftstore.core.FailureReason;
import io.raftstore.core.Membership;
import io.raftstore.core.NodeStatus;
import io.raftstore.core.ReadConsistency;
import io.raftstore.core.Role;
import io.raftstore.kv.KvCommand;
import io.raftstore.kv.KvResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Complete nodes (H2, key-value state machine, JGroups over 127.0.0.1) in one JVM: a snapshot on demand,
 * and a fourth node started in join mode that is added as a learner, catches up by snapshot, is promoted
 * and votes; then a member is removed and the cluster keeps serving.
 */
class MembershipIT {

    @TempDir
    Path dataRoot;
    private LocalNodes nodes;

    @BeforeEach
    void prepare() {
        nodes = new LocalNodes(dataRoot, 17840, "membership-it");
    }

    @AfterEach
    void closeAll() {
        nodes.close();
    }

    /** Node {@code i}; nodes 1-3 start the cluster, node 4 joins it. */
    private RunningNode start(int i, int snapshotEntries) throws Exception {
        return nodes.start(i, Map.of(NodeSettings.JOIN, String.valueOf(i == 4),
                NodeSettings.SNAPSHOT_ENTRIES, String.valueOf(snapshotEntries)));
    }

    private static <T> T await(String what, Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null && !Boolean.FALSE.equals(value)) {
                return value;
            }
            Thread.sleep(10);
        }
        fail("timed out waiting for " + what);
        return null;
    }

    /** The running node that leads and that every other running member follows, or null. */
    private RunningNode leader() {
        RunningNode leader = null;
        for (RunningNode n : nodes.running()) {
            if (n.status().role() == Role.LEADER) {
                leader = n;
            }
        }
        if (leader == null) {
            return null;
        }
        for (RunningNode n : nodes.running()) {
            if (n.status().membership().contains(n.settings().nodeId())
                    && !leader.settings().nodeId().equals(n.status().leaderId())) {
                return null;
            }
        }
        return leader;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Returns the write's log index. */
    private static long put(RunningNode via, String key) {
        return assertInstanceOf(KvResult.Written.class, via.write(new KvCommand.Put(key, bytes("v-" + key)), 0, 0))
                .version();
    }

    private static void assertHolds(RunningNode n, String key) {
        KvResult r = n.read(new KvCommand.Get(key), ReadConsistency.STALE);
        assertArrayEquals(bytes("v-" + key), assertInstanceOf(KvResult.Value.class, r, key).value(), key);
    }

    private RunningNode follower(RunningNode leader) {
        for (int i = 1; i <= 3; i++) {
            if (nodes.get(i) != null && nodes.get(i) != leader) {
                return nodes.get(i);
            }
        }
        throw new IllegalStateException("no follower");
    }

    @Test
    void aSnapshotOnDemandCompactsTheLogAndReportsItsIndex() throws Exception {
        for (int i = 1; i <= 3; i++) {
            start(i, 40); // automatic snapshots every 40 entries, keeping 20
        }
        RunningNode leader = await("a leader", this::leader);
        long last = 0;
        for (int i = 0; i < 30; i++) {
            last = put(leader, "k" + i);
        }
        RunningNode f = follower(leader);
        long lastWrite = last;
        // Not the leader's status: it is published after the loop turn that answered the write.
        await("the follower to apply every write", () -> f.status().appliedIndex() >= lastWrite);
        assertEquals(1, f.status().firstIndex(), "no automatic snapshot yet");

        SnapshotReport report = f.snapshotNow();
        assertTrue(report.taken());
        assertEquals(f.status().appliedIndex(), report.index(), "the snapshot holds every applied entry");
        assertEquals(report.index() - 20 + 1, report.firstIndex(), "compacted, keeping 20 entries");
        assertEquals(report.firstIndex(), f.status().firstIndex(), "the status shows the compacted log");
        assertTrue(report.millis() >= 0);

        SnapshotReport again = f.snapshotNow();
        assertFalse(again.taken(), "nothing new was applied, so nothing is written");
        assertEquals(report.index(), again.index());

        put(leader, "after");
        await("the follower to apply the next write", () -> f.status().appliedIndex() > report.index());
        assertTrue(f.snapshotNow().index() > report.index());
    }

    @Test
    void aJoiningNodeIsAddedAsLearnerCatchesUpIsPromotedVotesAndAMemberIsRemoved() throws Exception {
        for (int i = 1; i <= 3; i++) {
            start(i, 20); // compacts often, so the new node catches up by snapshot
        }
        RunningNode leader = await("a leader", this::leader);
        for (int i = 0; i < 60; i++) {
            put(leader, "k" + i);
        }
        assertTrue(leader.status().firstIndex() > 1, "the log was compacted");

        RunningNode n4 = start(4, 20);
        NodeStatus waiting = n4.status();
        assertEquals(Membership.EMPTY, waiting.membership(), "a joining node starts with no members");
        assertEquals(Set.of("n1", "n2", "n3"), leader.status().membership().voters(), "nobody added it yet");

        // Promoting or removing what is not a learner or member is refused with the engine's reason.
        RequestFailedException notLearner = assertThrows(RequestFailedException.class, () -> leader.promote("n4"));
        assertEquals(FailureReason.REJECTED, notLearner.reason());
        assertTrue(notLearner.getMessage().contains("n4 is not a learner"), notLearner.getMessage());
        RequestFailedException unknown = assertThrows(RequestFailedException.class,
                () -> follower(leader).removeMember("n9"));
        assertTrue(unknown.getMessage().contains("n9 is not a member"), unknown.getMessage());

        // Added through a follower: the change is forwarded to the leader and waited for until committed.
        MemberAddress n4Address = MemberAddress.of("n4", nodes.address(4), "http://127.0.0.1:9184");
        Membership added = follower(leader).addLearner("n4", n4Address);
        assertEquals(Set.of("n4"), added.learners());
        await("n4 to catch up", () -> n4.status().appliedIndex() >= leader.status().commitIndex());
        assertEquals(Role.LEARNER, n4.status().role());
        assertHolds(n4, "k0");
        assertHolds(n4, "k59");
        for (RunningNode n : nodes.running()) {
            assertEquals(n4Address, n.members().get("n4"), "every node knows n4's address");
            assertEquals(nodes.address(1), n.members().get("n1").raft());
        }

        // Promoted from the learner itself (forwarded to the leader).
        Membership promoted = n4.promote("n4");
        assertEquals(Set.of("n1", "n2", "n3", "n4"), promoted.voters());
        await("n4 to follow as a voter", () -> n4.status().role() == Role.FOLLOWER);

        // n4 votes: with the leader gone, three of the remaining three voters must elect the next one.
        String old = leader.settings().nodeId();
        nodes.stop(Integer.parseInt(old.substring(1)));
        RunningNode next = await("a new leader elected with n4's vote", this::leader);
        assertNotEquals(old, next.settings().nodeId());
        long withN4 = put(next, "with-n4");
        await("n4 to apply it", () -> n4.status().appliedIndex() >= withN4);
        assertHolds(n4, "with-n4");

        // Remove the stopped voter through n4: three voters remain and the cluster keeps serving.
        Membership removed = n4.removeMember(old);
        assertEquals(3, removed.voters().size());
        assertFalse(removed.contains(old));
        // n4 asked, but the leader answered: n4 itself learns of the change with the leader's next append.
        await("n4 to see the removal", () -> !n4.members().containsKey(old));
        RunningNode survivor = follower(next);
        for (int i = 0; i < 10; i++) {
            put(i % 2 == 0 ? survivor : n4, "after-" + i);
        }
        assertHolds(next, "after-9");
    }
}
