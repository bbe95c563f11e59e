package io.raftstore.core.codec;

import io.raftstore.core.EntryType;
import io.raftstore.core.LogEntry;
import io.raftstore.core.Membership;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.message.AppendEntries;
import io.raftstore.core.message.AppendEntriesResponse;
import io.raftstore.core.message.InstallSnapshot;
import io.raftstore.core.message.InstallSnapshotResponse;
import io.raftstore.core.message.RaftMessage;
import io.raftstore.core.message.ReadIndexRequest;
import io.raftstore.core.message.ReadIndexResponse;
import io.raftstore.core.message.RequestVote;
import io.raftstore.core.message.RequestVoteResponse;
import io.raftstore.core.message.TimeoutNow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Round trips of every encoded value, and rejection of truncated, unknown and garbage input. */
class MessageCodecTest {

    private static final Membership MEMBERS = new Membership(Set.of("n1", "n2", "n3"), Set.of("n4"));

    /** One instance of every message kind, with edge values: empty and large payloads, -1 sentinels. */
    static List<RaftMessage> samples() {
        byte[] large = new byte[100_000];
        new Random(7).nextBytes(large);
        List<LogEntry> entries = List.of(
                new LogEntry(3, 11, EntryType.NOOP, 0, 0, new byte[0]),
                new LogEntry(3, 12, EntryType.COMMAND, 42, 7, "put k v".getBytes()),
                new LogEntry(4, 13, EntryType.MEMBERSHIP, 0, 0, MEMBERS.toBytes()),
                new LogEntry(4, 14, EntryType.COMMAND, Long.MAX_VALUE, Long.MAX_VALUE, large),
                // Not consecutive: the delta encoding must still be exact.
                new LogEntry(2, 9, EntryType.COMMAND, 0, 0, new byte[] {1}));
        return List.of(
                new RequestVote("n1", "n2", 5, 10, 4, false, false),
                new RequestVote("n1", "n2", 6, 10, 4, true, true),
                new RequestVoteResponse("n2", "n1", 5, true, false),
                new RequestVoteResponse("n2", "n1", 6, false, true),
                // A grant from a voter that is not caught up: it counts only toward a unanimous election.
                new RequestVoteResponse("n2", "n1", 7, true, false, true),
                new RequestVoteResponse("n2", "n1", 7, true, true, true),
                new AppendEntries("n1", "n2", 4, 10, 3, List.of(), 9, 0),
                new AppendEntries("n1", "n2", 4, 10, 3, entries, 12, 77),
                new AppendEntries("n1", "n2", 1, 0, 0, List.of(LogEntry.command(1, 1, null)), 0, 1),
                new AppendEntriesResponse("n2", "n1", 4, true, 14, -1, -1, 77),
                new AppendEntriesResponse("n2", "n1", 4, false, 0, 3, 8, 78),
                new InstallSnapshot("n1", "n3", 4, new SnapshotMeta(100, 4, MEMBERS), 0, large, false),
                new InstallSnapshot("n1", "n3", 4, new SnapshotMeta(100, 4, Membership.EMPTY), 100_000,
                        new byte[0], true),
                new InstallSnapshotResponse("n3", "n1", 4, 100, 65536, false),
                new InstallSnapshotResponse("n3", "n1", 4, 100, 0, true),
                new TimeoutNow("n1", "n2", 9),
                new ReadIndexRequest("n2", "n1", 9, 12345),
                new ReadIndexResponse("n1", "n2", 9, 12345, 88),
                new ReadIndexResponse("n1", "n2", 9, -5, -1),
                // Incarnations (issue 12, finding 1): newer kinds, only when the fields say something.
                new AppendEntries("n1", "n2", 4, 10, 3, entries, 12, 78, 0x7fff_ffff_ffff_fffeL),
                new AppendEntries("n1", "n2", 4, 0, 0, List.of(), 0, 1, 1),
                new AppendEntriesResponse("n2", "n1", 4, true, 14, -1, -1, 77, 5_000_000_000L, false),
                new AppendEntriesResponse("n2", "n1", 4, false, 0, 3, 8, 78, 1, true),
                new InstallSnapshotResponse("n3", "n1", 4, 100, 65536, false, 9, false),
                new InstallSnapshotResponse("n3", "n1", 4, 100, 0, true, Long.MAX_VALUE, true),
                // Lease reads: an answer from a node that honours leases, and for how long.
                new AppendEntriesResponse("n2", "n1", 4, true, 14, -1, -1, 77, 0, true, 130_000),
                new AppendEntriesResponse("n2", "n1", 4, false, 0, 3, 8, 78, 5, false, Long.MAX_VALUE));
    }

    @Test
    void onlyAnAnswerThatHonoursALeaseTakesTheKindOlderBuildsDoNotRead() {
        assertEquals(MessageCodec.APPEND_ENTRIES_RESPONSE_LEASE,
                MessageCodec.encode(new AppendEntriesResponse("n2", "n1", 4, true, 14, -1, -1, 77, 0, true, 130_000))[1]);
        assertEquals(MessageCodec.APPEND_ENTRIES_RESPONSE,
                MessageCodec.encode(new AppendEntriesResponse("n2", "n1", 4, true, 14, -1, -1, 77, 0, true, 0))[1]);
    }

    @Test
    void aPlainVoteAnswerKeepsTheBytesOlderBuildsRead() {
        // Only a grant that counts toward a unanimous election sets the new flag bit (older builds refuse it).
        byte[] plain = MessageCodec.encode(new RequestVoteResponse("n2", "n1", 5, true, true));
        assertEquals(3, plain[plain.length - 1]);
        byte[] ifUnanimous = MessageCodec.encode(new RequestVoteResponse("n2", "n1", 5, true, true, true));
        assertEquals(7, ifUnanimous[ifUnanimous.length - 1]);
    }

    @Test
    void anOlderBuildsLeaseAnswerSaysNotForHowLongSoItHoldsUpNoLease() {
        // Kind 13 flagged a lease without its length: a leader took its own election timeout for it and outlived
        // followers with a shorter one. It is read as an answer that holds up no lease.
        byte[] older = {1, 13, 3, 'n', '2', 3, 'n', '1', 4, 1, 14, 1, 1, 77, 0, 1};
        AppendEntriesResponse read = (AppendEntriesResponse) MessageCodec.decode(older);
        assertEquals(new AppendEntriesResponse("n2", "n1", 4, true, 14, -1, -1, 77, 0, true, 0), read);
        assertFalse(read.honoursLease());
    }

    @Test
    void aLeaseAnswerOfNoLengthIsRefused() {
        byte[] zero = {1, 14, 3, 'n', '2', 3, 'n', '1', 4, 1, 14, 1, 1, 77, 0, 1, 0};
        assertThrows(CodecException.class, () -> MessageCodec.decode(zero));
    }

    @Test
    void everyMessageKindRoundTrips() {
        for (RaftMessage m : samples()) {
            assertEquals(m, MessageCodec.decode(MessageCodec.encode(m)), m.toString());
        }
    }

    @Test
    void messagesWithoutIncarnationsKeepTheOlderKindsAndBytes() {
        // An older build refuses only what it could not understand: a node without an incarnation (or a
        // leader confirming nobody) writes exactly what it wrote before incarnations existed.
        assertEquals(MessageCodec.APPEND_ENTRIES,
                MessageCodec.encode(new AppendEntries("n1", "n2", 4, 10, 3, List.of(), 9, 0))[1]);
        assertEquals(MessageCodec.APPEND_ENTRIES_RESPONSE,
                MessageCodec.encode(new AppendEntriesResponse("n2", "n1", 4, true, 14, -1, -1, 77))[1]);
        assertEquals(MessageCodec.INSTALL_SNAPSHOT_RESPONSE,
                MessageCodec.encode(new InstallSnapshotResponse("n3", "n1", 4, 100, 0, true))[1]);
        assertEquals(MessageCodec.APPEND_ENTRIES_RESPONSE_IDENTIFIED,
                MessageCodec.encode(new AppendEntriesResponse("n2", "n1", 4, true, 14, -1, -1, 77, 3, true))[1]);
        // Bytes of an older build's response (captured before incarnations) still decode, as caught up.
        byte[] older = {1, 4, 3, 'n', '2', 3, 'n', '1', 4, 1, 14, 1, 1, 77};
        assertEquals(new AppendEntriesResponse("n2", "n1", 4, true, 14, -1, -1, 77), MessageCodec.decode(older));
        assertArrayEquals(older, MessageCodec.encode(new AppendEntriesResponse("n2", "n1", 4, true, 14, -1, -1, 77)));
        byte[] identified = MessageCodec.encode(new AppendEntriesResponse("n2", "n1", 4, true, 14, -1, -1, 77, 3, true));
        assertThrows(CodecException.class, () -> MessageCodec.decode(withKind(identified,
                MessageCodec.APPEND_ENTRIES_RESPONSE)), "an older kind with the newer fields after it is refused");
        byte[] notCaughtUpWithoutIncarnation = MessageCodec.encode(
                new AppendEntriesResponse("n2", "n1", 4, true, 14, -1, -1, 77, 3, false));
        notCaughtUpWithoutIncarnation[notCaughtUpWithoutIncarnation.length - 2] = 0; // incarnation 3 -> 0
        assertThrows(CodecException.class, () -> MessageCodec.decode(notCaughtUpWithoutIncarnation));
    }

    private static byte[] withKind(byte[] encoded, int kind) {
        byte[] copy = encoded.clone();
        copy[1] = (byte) kind;
        return copy;
    }

    @Test
    void valuesRoundTrip() {
        LogEntry e = new LogEntry(7, 1234567, EntryType.COMMAND, 99, 3, "x".getBytes());
        assertEquals(e, MessageCodec.decodeEntry(MessageCodec.encodeEntry(e)));
        LogEntry empty = new LogEntry(0, 1, EntryType.NOOP, 0, 0, null);
        assertEquals(empty, MessageCodec.decodeEntry(MessageCodec.encodeEntry(empty)));
        SnapshotMeta meta = new SnapshotMeta(55, 6, MEMBERS);
        assertEquals(meta, MessageCodec.decodeSnapshotMeta(MessageCodec.encodeSnapshotMeta(meta)));
        assertEquals(MEMBERS, MessageCodec.decodeMembership(MessageCodec.encodeMembership(MEMBERS)));
        assertEquals(Membership.EMPTY, MessageCodec.decodeMembership(MessageCodec.encodeMembership(Membership.EMPTY)));
    }

    @Test
    void membersAddressesRoundTripAndAMembershipWithoutThemKeepsTheOlderEncoding() {
        Membership addressed = new Membership(Set.of("n1", "n2"), Set.of("n4"),
                Map.of("n1", "127.0.0.1:17801", "n4", "127.0.0.1:17804 http://127.0.0.1:9084"));
        assertEquals(addressed, MessageCodec.decodeMembership(MessageCodec.encodeMembership(addressed)));
        SnapshotMeta meta = new SnapshotMeta(9, 2, addressed);
        assertEquals(meta, MessageCodec.decodeSnapshotMeta(MessageCodec.encodeSnapshotMeta(meta)));
        // Written before members had addresses: voters, then learners, each a count and strings.
        byte[] older = new BinaryWriter(32).writeStrings(List.of("n1", "n2", "n3"))
                .writeStrings(List.of("n4")).toByteArray();
        assertArrayEquals(older, MEMBERS.toBytes());
        assertEquals(MEMBERS, Membership.fromBytes(older));
    }

    @Test
    void batchesRoundTripAndRefuseMixedDestinations() {
        List<RaftMessage> batch = new ArrayList<>();
        for (RaftMessage m : samples()) {
            if (m.from().equals("n1") && m.to().equals("n2")) {
                batch.add(m);
            }
        }
        assertTrue(batch.size() > 5);
        assertEquals(batch, MessageCodec.decodeBatch(MessageCodec.encodeBatch(batch)));
        assertEquals(List.of(), MessageCodec.decodeBatch(MessageCodec.encodeBatch(List.of())));
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.encodeBatch(List.of(
                new TimeoutNow("n1", "n2", 1), new TimeoutNow("n1", "n3", 1))));
    }

    /** A frame around the batch: written into the frame's writer, read from the middle of the frame's bytes. */
    @Test
    void aBatchIsWrittenIntoAndReadFromPartOfALargerBuffer() {
        List<RaftMessage> batch = samples().stream().filter(m -> m.from().equals("n1") && m.to().equals("n2")).toList();
        BinaryWriter w = new BinaryWriter(8).writeByte(0x7E).writeString("before");
        int start = w.size();
        MessageCodec.encodeBatch(batch, w);
        int length = w.size() - start;
        byte[] framed = w.writeString("after").toByteArray();
        assertArrayEquals(MessageCodec.encodeBatch(batch), Arrays.copyOfRange(framed, start, start + length));
        assertEquals(batch, MessageCodec.decodeBatch(framed, start, length));
        assertThrows(CodecException.class, () -> MessageCodec.decodeBatch(framed, start, length + 1),
                "bytes after the batch within the slice are refused");
        assertThrows(CodecException.class, () -> MessageCodec.decodeBatch(framed, start, length - 1));
    }

    @Test
    void consecutiveEntriesCostLittleMoreThanTheirPayload() {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            entries.add(LogEntry.command(3, 1000 + i, new byte[100]));
        }
        byte[] bytes = MessageCodec.encode(new AppendEntries("n1", "n2", 3, 1000, 3, entries, 1000, 5));
        // Per entry: index delta, term delta, type, client id, length = 5 bytes of overhead.
        assertTrue(bytes.length <= 100 * 106 + 32, "encoded size " + bytes.length);
    }

    @Test
    void everyTruncationIsRejected() {
        List<byte[]> encodings = new ArrayList<>();
        for (RaftMessage m : samples()) {
            if (!(m instanceof InstallSnapshot) && !(m instanceof AppendEntries a && a.entries().size() > 3)) {
                encodings.add(MessageCodec.encode(m));
            }
        }
        // The large samples would make this quadratic; a smaller multi-entry message covers the same paths.
        encodings.add(MessageCodec.encode(new AppendEntries("n1", "n2", 4, 10, 3, List.of(
                new LogEntry(4, 11, EntryType.COMMAND, 5, 6, new byte[] {1, 2, 3}),
                new LogEntry(4, 12, EntryType.MEMBERSHIP, 0, 0, MEMBERS.toBytes())), 12, 77)));
        encodings.add(MessageCodec.encode(new InstallSnapshot("n1", "n3", 4, new SnapshotMeta(100, 4, MEMBERS),
                8, new byte[] {9, 9, 9}, true)));
        for (byte[] full : encodings) {
            for (int len = 0; len < full.length; len++) {
                byte[] prefix = Arrays.copyOf(full, len);
                assertThrows(CodecException.class, () -> MessageCodec.decode(prefix), "prefix of length " + len);
            }
        }
        byte[] batch = MessageCodec.encodeBatch(
                List.of(new TimeoutNow("a", "b", 1), new ReadIndexRequest("a", "b", 1, 2)));
        for (int len = 0; len < batch.length; len++) {
            byte[] prefix = Arrays.copyOf(batch, len);
            assertThrows(CodecException.class, () -> MessageCodec.decodeBatch(prefix));
        }
        byte[] meta = MessageCodec.encodeSnapshotMeta(new SnapshotMeta(3, 2, MEMBERS));
        for (int len = 0; len < meta.length; len++) {
            byte[] prefix = Arrays.copyOf(meta, len);
            assertThrows(CodecException.class, () -> MessageCodec.decodeSnapshotMeta(prefix));
        }
    }

    @Test
    void unknownVersionKindAndTrailingBytesAreRejected() {
        byte[] good = MessageCodec.encode(new TimeoutNow("n1", "n2", 3));
        byte[] badVersion = good.clone();
        badVersion[0] = 2;
        assertMessage("version", () -> MessageCodec.decode(badVersion));
        byte[] badKind = good.clone();
        badKind[1] = 99;
        assertMessage("kind", () -> MessageCodec.decode(badKind));
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertMessage("trailing", () -> MessageCodec.decode(trailing));
        // A message is not a batch and an entry is not a message.
        assertThrows(CodecException.class, () -> MessageCodec.decodeBatch(good));
        assertThrows(CodecException.class, () -> MessageCodec.decode(
                MessageCodec.encodeEntry(LogEntry.command(1, 1, new byte[0]))));
        assertThrows(CodecException.class, () -> MessageCodec.decode(new byte[0]));
    }

    @Test
    void entryWithUnknownTypeIsRejected() {
        byte[] bytes = MessageCodec.encodeEntry(LogEntry.command(1, 1, new byte[0]));
        bytes[4] = 17; // version, kind, index delta, term delta, then the type byte
        assertMessage("entry type", () -> MessageCodec.decodeEntry(bytes));
    }

    @Test
    void randomGarbageOnlyEverThrowsCodecException() {
        Random random = new Random(20261122L);
        List<byte[]> valid = new ArrayList<>();
        for (RaftMessage m : samples()) {
            if (!(m instanceof InstallSnapshot) && !(m instanceof AppendEntries a && a.entries().size() > 3)) {
                valid.add(MessageCodec.encode(m));
            }
        }
        for (int i = 0; i < 10_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[random.nextInt(40)];
                random.nextBytes(input);
                if (input.length > 0 && random.nextBoolean()) {
                    input[0] = MessageCodec.VERSION; // get past the version check more often
                }
            } else {
                // Mutate a valid encoding: deeper paths are reached than with pure noise.
                input = valid.get(random.nextInt(valid.size())).clone();
                int flips = 1 + random.nextInt(3);
                for (int f = 0; f < flips; f++) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
            }
            decodeEverything(input);
        }
    }

    private static void decodeEverything(byte[] input) {
        List<Runnable> decoders = List.of(() -> MessageCodec.decode(input), () -> MessageCodec.decodeBatch(input),
                () -> MessageCodec.decodeEntry(input), () -> MessageCodec.decodeSnapshotMeta(input),
                () -> MessageCodec.decodeMembership(input));
        for (Runnable d : decoders) {
            try {
                d.run();
            } catch (CodecException expected) {
                // the only acceptable failure
            } catch (RuntimeException e) {
                fail("input " + Arrays.toString(input) + " threw " + e, e);
            }
        }
    }

    private static void assertMessage(String fragment, Executable decode) {
        CodecException e = assertThrows(CodecException.class, decode);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void largePayloadSurvivesIntact() {
        byte[] data = new byte[1 << 20];
        new Random(1).nextBytes(data);
        LogEntry e = new LogEntry(1, 1, EntryType.COMMAND, 1, 1, data);
        assertArrayEquals(data, MessageCodec.decodeEntry(MessageCodec.encodeEntry(e)).data());
    }
}
