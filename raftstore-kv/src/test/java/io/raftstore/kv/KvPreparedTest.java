package io.raftstore.kv;

import io.raftstore.core.Membership;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.codec.BinaryReader;
import io.raftstore.core.codec.BinaryWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

import static io.raftstore.kv.KvFixture.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Two-phase transactions in the state machine: prepare holds keys, commit applies, rollback releases. */
class KvPreparedTest {
    @TempDir
    Path dir;

    private static final Membership M = Membership.ofVoters("n1");

    /** Reads "a" at {@code aVersion} and "b" absent; writes both and increments "n". */
    private static KvCommand.Prepare transfer(String txId, long aVersion) {
        return new KvCommand.Prepare(txId, List.of(new Condition.VersionEquals("a", aVersion), new Condition.KeyAbsent("b")),
                List.of(new KvCommand.Put("a", b("2")), new KvCommand.Put("b", b("bee")), new KvCommand.Increment("n", 5)));
    }

    private static List<PreparedTransaction.Summary> prepared(KvFixture kv) {
        return ((KvResult.PreparedList) kv.sm.read(new KvCommand.ListPrepared())).transactions();
    }

    @Test
    void commitAppliesThePreparedWritesAtItsOwnIndexAndReleasesTheKeys() {
        try (KvFixture kv = new KvFixture(dir)) {
            long a = ((KvResult.Written) kv.apply(new KvCommand.Put("a", b("1")))).version();
            kv.apply(new KvCommand.Put("n", b("10")));
            long at = kv.nextIndex();
            assertEquals(new KvResult.Prepared("tx1", at), kv.apply(transfer("tx1", a)));
            assertEquals("1", kv.value("a"), "reads see the committed value while prepared");
            assertNull(kv.value("b"));
            assertEquals(List.of(new PreparedTransaction.Summary("tx1", at, List.of("a", "b", "n"))), prepared(kv));

            long commitAt = kv.nextIndex();
            KvResult.BatchApplied applied = assertInstanceOf(KvResult.BatchApplied.class,
                    kv.apply(new KvCommand.CommitPrepared("tx1")));
            assertEquals(commitAt, applied.index());
            assertEquals("2", kv.value("a"));
            assertEquals("bee", kv.value("b"));
            assertEquals("15", kv.value("n"), "the increment was resolved at prepare");
            assertEquals(commitAt, ((KvResult.Value) kv.get("a")).version());
            assertEquals(List.of(), prepared(kv));
            assertInstanceOf(KvResult.Written.class, kv.apply(new KvCommand.Put("a", b("free again"))));
        }
    }

    @Test
    void aHeldKeyRefusesEveryOtherWrite() {
        try (KvFixture kv = new KvFixture(dir)) {
            long a = ((KvResult.Written) kv.apply(new KvCommand.Put("a", b("1")))).version();
            kv.apply(transfer("tx1", a));
            KvResult.KeyHeld held = new KvResult.KeyHeld("a", a, "tx1");
            assertEquals(held, kv.apply(new KvCommand.Put("a", b("x"))));
            assertEquals(held, kv.apply(new KvCommand.PutIfAbsent("a", b("x"))));
            assertEquals(held, kv.apply(new KvCommand.CompareAndSet("a", a, b("x"))));
            assertEquals(held, kv.apply(KvCommand.Delete.of("a")));
            assertEquals(held, kv.apply(new KvCommand.Increment("a", 1)));
            assertEquals(new KvResult.KeyHeld("b", 0, "tx1"), kv.apply(new KvCommand.Batch(List.of(new Condition.KeyAbsent("b")),
                    List.of(new KvCommand.Put("c", b("x"))))), "a key only read by a batch is held too");
            assertEquals(held, kv.apply(new KvCommand.Prepare("tx2", List.of(),
                    List.of(new KvCommand.Put("a", b("x"))))));
            assertEquals("1", kv.value("a"));
            assertNull(kv.value("c"));
            assertInstanceOf(KvResult.Written.class, kv.apply(new KvCommand.Put("c", b("x"))), "other keys are free");
        }
    }

    /** A client retrying with the same session sequence number must not get the held answer forever. */
    @Test
    void aWriteRefusedForAHeldKeyIsNotRememberedInItsSession() {
        try (KvFixture kv = new KvFixture(dir)) {
            long a = ((KvResult.Written) kv.apply(new KvCommand.Put("a", b("1")))).version();
            kv.apply(transfer("tx1", a));
            assertInstanceOf(KvResult.KeyHeld.class, kv.session(7, 1, new KvCommand.Put("a", b("mine"))));
            kv.apply(new KvCommand.RollbackPrepared("tx1"));
            assertInstanceOf(KvResult.Written.class, kv.session(7, 1, new KvCommand.Put("a", b("mine"))));
            assertEquals("mine", kv.value("a"));
        }
    }

    @Test
    void aFailedConditionAtPrepareHoldsNothing() {
        try (KvFixture kv = new KvFixture(dir)) {
            long a = ((KvResult.Written) kv.apply(new KvCommand.Put("a", b("1")))).version();
            kv.apply(new KvCommand.Put("a", b("changed")));
            KvResult.ConditionFailed failed = assertInstanceOf(KvResult.ConditionFailed.class, kv.apply(transfer("tx1", a)));
            assertEquals("a", failed.condition().key());
            assertEquals(List.of(), prepared(kv));
            assertInstanceOf(KvResult.Written.class, kv.apply(new KvCommand.Put("b", b("x"))));
            assertEquals(new KvResult.UnknownTransaction("tx1"), kv.apply(new KvCommand.CommitPrepared("tx1")));
        }
    }

    @Test
    void rollbackReleasesWithoutWritingAndUnknownIdsAreReportedAsSuch() {
        try (KvFixture kv = new KvFixture(dir)) {
            long a = ((KvResult.Written) kv.apply(new KvCommand.Put("a", b("1")))).version();
            long at = kv.nextIndex();
            kv.apply(transfer("tx1", a));
            assertEquals(new KvResult.Prepared("tx1", at), kv.apply(transfer("tx1", a)), "a retried prepare");
            assertEquals(new KvResult.PreparedReleased("tx1"), kv.apply(new KvCommand.RollbackPrepared("tx1")));
            assertEquals("1", kv.value("a"));
            assertNull(kv.value("b"));
            assertEquals(new KvResult.UnknownTransaction("tx1"), kv.apply(new KvCommand.RollbackPrepared("tx1")));
            assertEquals(new KvResult.UnknownTransaction("tx1"), kv.apply(new KvCommand.CommitPrepared("tx1")));
            assertEquals(new KvResult.UnknownTransaction("never"), kv.apply(new KvCommand.CommitPrepared("never")));
            assertInstanceOf(KvResult.Written.class, kv.apply(new KvCommand.Put("a", b("x"))));
        }
    }

    @Test
    void aRepeatedCommitChangesNothing() {
        try (KvFixture kv = new KvFixture(dir)) {
            long a = ((KvResult.Written) kv.apply(new KvCommand.Put("a", b("1")))).version();
            kv.apply(transfer("tx1", a));
            kv.apply(new KvCommand.CommitPrepared("tx1"));
            kv.apply(new KvCommand.Put("a", b("later")));
            assertEquals(new KvResult.UnknownTransaction("tx1"), kv.apply(new KvCommand.CommitPrepared("tx1")));
            assertEquals("later", kv.value("a"));
        }
    }

    @Test
    void preparedTransactionsSurviveARestart() {
        try (KvFixture kv = new KvFixture(dir)) {
            long a = ((KvResult.Written) kv.apply(new KvCommand.Put("a", b("1")))).version();
            kv.apply(transfer("tx1", a));
            kv.storage.stateDatabase().write(() -> { }); // a checkpoint: the node commits the state at least this often
        }
        try (KvFixture kv = new KvFixture(dir)) {
            assertEquals(List.of("tx1"), prepared(kv).stream().map(PreparedTransaction.Summary::txId).toList());
            assertEquals("tx1", ((KvResult.KeyHeld) kv.apply(new KvCommand.Put("a", b("x")))).txId());
            assertInstanceOf(KvResult.BatchApplied.class, kv.apply(new KvCommand.CommitPrepared("tx1")));
            assertEquals("2", kv.value("a"));
        }
    }

    @Test
    void aSnapshotCarriesPreparedTransactions() {
        byte[] snapshot;
        long index;
        try (KvFixture source = new KvFixture(dir.resolve("a"))) {
            long a = ((KvResult.Written) source.apply(new KvCommand.Put("a", b("1")))).version();
            source.apply(transfer("tx1", a));
            source.apply(new KvCommand.Prepare("tx2", List.of(), List.of(KvCommand.Delete.of("z"))));
            source.apply(new KvCommand.RollbackPrepared("tx2"));
            index = source.sm.appliedIndex();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            source.sm.writeSnapshot(out);
            snapshot = out.toByteArray();
        }
        try (KvFixture target = new KvFixture(dir.resolve("b"))) {
            target.apply(new KvCommand.Prepare("stale", List.of(), List.of(new KvCommand.Put("old", b("x")))));
            target.installSnapshot(new SnapshotMeta(index, 1, M), snapshot);
            assertEquals(List.of("tx1"), prepared(target).stream().map(PreparedTransaction.Summary::txId).toList(),
                    "the snapshot's prepared transactions replace the target's");
            assertInstanceOf(KvResult.Written.class, target.apply(new KvCommand.Put("old", b("y"))));
            assertEquals(new KvResult.KeyHeld("n", 0, "tx1"), target.apply(new KvCommand.Increment("n", 1)));
            assertInstanceOf(KvResult.BatchApplied.class, target.apply(new KvCommand.CommitPrepared("tx1")));
            assertEquals("bee", target.value("b"));
            assertEquals("5", target.value("n"));
        }
    }

    /** While nothing is prepared a snapshot keeps format 1, so that a node of the older version installs it. */
    @Test
    void aSnapshotIsOfFormatTwoOnlyWhileATransactionIsPrepared() {
        try (KvFixture kv = new KvFixture(dir)) {
            long a = ((KvResult.Written) kv.apply(new KvCommand.Put("a", b("1")))).version();
            assertEquals(1, snapshotFormat(kv));
            kv.apply(transfer("tx1", a));
            assertEquals(2, snapshotFormat(kv));
            kv.apply(new KvCommand.CommitPrepared("tx1"));
            assertEquals(1, snapshotFormat(kv));
        }
    }

    private static long snapshotFormat(KvFixture kv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        kv.sm.writeSnapshot(out);
        BinaryReader header = new BinaryReader(FrameStream.read(new ByteArrayInputStream(out.toByteArray())));
        assertEquals('H', header.readByte());
        assertEquals("raftstore-kv-snapshot", header.readString());
        return header.readVarLong();
    }

    /** A node of this version installs a snapshot written before two-phase transactions existed (format 1). */
    @Test
    void aSnapshotOfFormatOneIsStillRead() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CheckedOutputStream out = new CheckedOutputStream(bytes, new CRC32C());
        FrameStream.write(out, new BinaryWriter(48).writeByte('H').writeString("raftstore-kv-snapshot").writeVarLong(1)
                .writeVarLong(7).writeVarLong(1).toByteArray());
        FrameStream.write(out, new BinaryWriter(48).writeByte('D').writeString("k").writeBytes(b("v")).writeVarLong(5)
                .writeVarLong(3).toByteArray());
        FrameStream.write(out, new BinaryWriter(24).writeByte('E').writeVarLong(1).writeVarLong(0)
                .writeVarLong(out.getChecksum().getValue()).toByteArray());
        try (KvFixture kv = new KvFixture(dir)) {
            kv.sm.restore(new SnapshotMeta(7, 1, M), new ByteArrayInputStream(bytes.toByteArray()));
            assertEquals("v", kv.value("k"));
            assertEquals(7, kv.sm.appliedIndex());
            assertEquals(List.of(), prepared(kv));
        }
    }

    @Test
    void theNewCommandsAndResultsRoundTripThroughTheCodec() {
        List<KvCommand> commands = List.of(transfer("tx1", 3), new KvCommand.CommitPrepared("tx1"),
                new KvCommand.RollbackPrepared("tx1"), new KvCommand.ListPrepared());
        for (KvCommand c : commands) {
            assertEquals(c, KvCodec.decodeCommand(KvCodec.encode(c)));
        }
        List<KvResult> results = List.of(new KvResult.Prepared("tx1", 9), new KvResult.PreparedReleased("tx1"),
                new KvResult.UnknownTransaction("tx1"), new KvResult.KeyHeld("a", 4, "tx1"),
                new KvResult.PreparedList(List.of(new PreparedTransaction.Summary("tx1", 9, List.of("a", "b")))));
        for (KvResult r : results) {
            assertEquals(r, KvCodec.decodeResult(KvCodec.encode(r)));
        }
    }
}
