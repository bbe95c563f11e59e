package io.raftstore.node;

import io.raftstore.core.EntryType;
import io.raftstore.core.FailureReason;
import io.raftstore.core.LogEntry;
import io.raftstore.core.Membership;
import io.raftstore.core.RaftConfig;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.message.AppendEntries;
import io.raftstore.core.message.AppendEntriesResponse;
import io.raftstore.core.message.InstallSnapshot;
import io.raftstore.core.message.InstallSnapshotResponse;
import io.raftstore.core.message.RaftMessage;
import io.raftstore.core.storage.RaftStorage;
import io.raftstore.core.storage.memory.MemoryHardStateStore;
import io.raftstore.core.storage.memory.MemoryLogStore;
import io.raftstore.node.history.InMemoryFailoverHistory;
import io.raftstore.storage.h2.H2Database;
import io.raftstore.storage.h2.H2SnapshotStore;
import io.raftstore.storage.h2.H2StorageConfig;
import io.raftstore.transport.Frame;
import io.raftstore.transport.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A follower's driver (real snapshot files) receiving a snapshot in chunks from a leader that the test plays
 * by hand, so a local snapshot can be asked for exactly between two chunks.
 */
class NodeDriverSnapshotTest {

    private static final SnapshotMeta SNAPSHOT = new SnapshotMeta(10, 1, Membership.ofVoters("n1", "n2"));

    @TempDir
    Path dir;
    private final LocalHub hub = new LocalHub();
    private final Transport leader = hub.transport("n1");
    private final LinkedBlockingQueue<RaftMessage> toLeader = new LinkedBlockingQueue<>();
    private final RegisterMachine machine = new RegisterMachine();
    private H2Database db;
    private NodeDriver follower;

    @BeforeEach
    void start() throws Exception {
        leader.start((from, frame) -> {
            if (frame instanceof Frame.RaftBatch batch) {
                toLeader.addAll(batch.messages());
            }
        });
        db = H2Database.open(dir, H2StorageConfig.DEFAULT, true);
        RaftStorage storage = new RaftStorage(new MemoryLogStore(), new MemoryHardStateStore(),
                new H2SnapshotStore(db, dir));
        // 100 ms ticks: the follower stays quiet (no election) while the test plays its leader.
        follower = new NodeDriver(RaftConfig.defaults("n2", SNAPSHOT.membership()), storage, machine,
                hub.transport("n2"), new InMemoryFailoverHistory(10), new DriverSettings(100, 5_000), r -> {
                    Thread t = new Thread(r);
                    t.setDaemon(true);
                    return t;
                }, new SplittableRandom(2));
        follower.start();
        // One applied entry, so a local snapshot has something to hold.
        send(new AppendEntries("n1", "n2", 1, 0, 0,
                List.of(new LogEntry(1, 1, EntryType.COMMAND, 0, 0, RegisterMachine.command("a", "1"))), 1, 0));
        assertNotNull(await(m -> m instanceof AppendEntriesResponse r && r.success()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (machine.appliedIndex() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, machine.appliedIndex());
    }

    @AfterEach
    void stop() {
        follower.close();
        db.close();
    }

    private void send(RaftMessage m) {
        leader.send("n2", new Frame.RaftBatch(List.of(m)));
    }

    /** The first message to the leader matching {@code wanted} within 5 s, or null. */
    private RaftMessage await(Predicate<RaftMessage> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            RaftMessage m = toLeader.poll(left, TimeUnit.NANOSECONDS);
            if (m != null && wanted.test(m)) {
                return m;
            }
        }
        return null;
    }

    private static byte[] snapshotBytes() {
        RegisterMachine source = new RegisterMachine();
        source.values.put("x", "9");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        source.writeSnapshot(out);
        return out.toByteArray();
    }

    private InstallSnapshotResponse sendChunk(byte[] data, int from, int to) throws InterruptedException {
        send(new InstallSnapshot("n1", "n2", 1, SNAPSHOT, from, Arrays.copyOfRange(data, from, to), to == data.length));
        return (InstallSnapshotResponse) await(m -> m instanceof InstallSnapshotResponse);
    }

    @Test
    void aLocalSnapshotIsRefusedWhileOneIsReceivedInsteadOfCuttingItShort() throws Exception {
        byte[] data = snapshotBytes();
        int half = data.length / 2;
        assertEquals(half, sendChunk(data, 0, half).nextOffset());

        CompletableFuture<SnapshotReport> local = follower.snapshotNow();
        local.handle((r, e) -> null).get(5, TimeUnit.SECONDS);
        InstallSnapshotResponse last = sendChunk(data, half, data.length);

        assertNull(follower.fatalError(), "the follower must survive a snapshot request during an install");
        assertTrue(last != null && last.done(), "the install completes: " + last);
        assertEquals(10, machine.appliedIndex());
        assertEquals("9", machine.values.get("x"));
        RequestFailedException refused = assertInstanceOf(RequestFailedException.class,
                local.handle((r, e) -> e).get());
        assertEquals(FailureReason.REJECTED, refused.reason());
        assertTrue(refused.getMessage().contains("installing a snapshot"), refused.getMessage());
    }

    @Test
    void anInstalledSnapshotCountsAsTheLatestSoNoRedundantLocalOneFollows() throws Exception {
        byte[] data = snapshotBytes();
        assertTrue(sendChunk(data, 0, data.length).done());
        assertEquals(10, machine.appliedIndex());

        SnapshotReport report = follower.snapshotNow().get(5, TimeUnit.SECONDS);
        assertFalse(report.taken(), "the installed snapshot already holds every applied entry");
        assertEquals(10, report.index());
    }
}
