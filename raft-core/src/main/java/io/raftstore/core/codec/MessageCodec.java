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

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The wire and disk encoding of Raft messages, log entries, snapshot metadata and memberships.
 *
 * <p>Every encoding starts with a format {@link #VERSION} byte and a kind byte, so a reader can refuse
 * what it does not understand instead of misreading it. Numbers are varints; entries inside one message
 * store their term and index as deltas from the previous entry, because consecutive entries almost always
 * differ by (0, 1) and then cost two bytes of position instead of up to twenty.
 *
 * <p>Decoding checks everything: a truncated input, an unknown version or kind, an out-of-range value or
 * bytes left over after the value all throw {@link CodecException} and nothing else.
 */
public final class MessageCodec {

    /** The format version written by this class and the only one it reads. */
    public static final int VERSION = 1;

    // Kind bytes. Never renumber: they are stored on disk and sent between versions of the software.
    static final int REQUEST_VOTE = 1;
    static final int REQUEST_VOTE_RESPONSE = 2;
    static final int APPEND_ENTRIES = 3;
    static final int APPEND_ENTRIES_RESPONSE = 4;
    static final int INSTALL_SNAPSHOT = 5;
    static final int INSTALL_SNAPSHOT_RESPONSE = 6;
    static final int TIMEOUT_NOW = 7;
    static final int READ_INDEX_REQUEST = 8;
    static final int READ_INDEX_RESPONSE = 9;
    // Incarnations (issue 12, finding 1): the older kinds plus the fields, written only when the fields say
    // something, so a message without them keeps its older bytes and an older build refuses (as an unknown
    // kind) only what it could not understand anyway.
    static final int APPEND_ENTRIES_CONFIRMING = 10;
    static final int APPEND_ENTRIES_RESPONSE_IDENTIFIED = 11;
    static final int INSTALL_SNAPSHOT_RESPONSE_IDENTIFIED = 12;
    // Lease reads: an identified answer from a node that honours leases (the kind is the flag), so that a node
    // without the setting keeps writing the bytes an older build reads. No longer written: it did not say for how
    // long, and a leader that assumed its own election timeout outlived a follower with a shorter one. Read as
    // an answer that holds up no lease.
    static final int APPEND_ENTRIES_RESPONSE_HONOURING_LEASE = 13;
    // Lease reads: an identified answer that also says for how long (microseconds) its sender grants no vote.
    static final int APPEND_ENTRIES_RESPONSE_LEASE = 14;
    static final int BATCH = 20;
    static final int LOG_ENTRY = 21;
    static final int SNAPSHOT_META = 22;
    static final int MEMBERSHIP = 23;

    private static final EntryType[] ENTRY_TYPES = EntryType.values();

    private MessageCodec() {
    }

    // ---- messages -------------------------------------------------------------------------------------

    public static byte[] encode(RaftMessage message) {
        return BinaryWriter.encodeExactly(w -> {
            w.writeByte(VERSION).writeByte(kindOf(message));
            w.writeString(message.from()).writeString(message.to());
            writeBody(w, message);
        });
    }

    public static RaftMessage decode(byte[] bytes) {
        BinaryReader r = open(bytes);
        int kind = r.readByte();
        String from = requireId(r.readString(), "from");
        String to = requireId(r.readString(), "to");
        RaftMessage m = readBody(r, kind, from, to);
        r.expectEnd();
        return m;
    }

    /**
     * Encodes messages from one sender to one destination as a single frame; sender and destination are
     * written once. An empty list is allowed and decodes to an empty list.
     *
     * @throws IllegalArgumentException when the messages do not share one sender and one destination
     */
    public static byte[] encodeBatch(List<RaftMessage> messages) {
        return BinaryWriter.encodeExactly(w -> encodeBatch(messages, w));
    }

    /**
     * As {@link #encodeBatch(List)}, appended to {@code w}: a caller that wraps the batch in a frame of its own
     * writes both into one buffer instead of copying the batch's bytes into its frame.
     *
     * @throws IllegalArgumentException when the messages do not share one sender and one destination (what was
     *                                  written to {@code w} by then is not a batch)
     */
    public static void encodeBatch(List<RaftMessage> messages, BinaryWriter w) {
        String from = messages.isEmpty() ? null : messages.get(0).from();
        String to = messages.isEmpty() ? null : messages.get(0).to();
        w.writeByte(VERSION).writeByte(BATCH).writeString(from).writeString(to).writeVarLong(messages.size());
        for (RaftMessage m : messages) {
            if (!m.from().equals(from) || !m.to().equals(to)) {
                throw new IllegalArgumentException("a batch goes from one node to one node: " + from + "->" + to
                        + " cannot carry " + m.from() + "->" + m.to());
            }
            w.writeByte(kindOf(m));
            writeBody(w, m);
        }
    }

    public static List<RaftMessage> decodeBatch(byte[] bytes) {
        return decodeBatch(bytes, 0, bytes.length);
    }

    /** As {@link #decodeBatch(byte[])}, of the {@code length} bytes at {@code offset}, which it does not copy. */
    public static List<RaftMessage> decodeBatch(byte[] bytes, int offset, int length) {
        BinaryReader r = open(bytes, offset, length);
        expectKind(r.readByte(), BATCH);
        String from = r.readString();
        String to = r.readString();
        int n = r.readLength("batch size", BinaryReader.MAX_LENGTH);
        if (n > 0) {
            requireId(from, "from");
            requireId(to, "to");
        }
        // Each message takes at least two bytes, so the remaining input bounds a sane count.
        List<RaftMessage> out = new ArrayList<>(Math.min(n, r.remaining()));
        for (int i = 0; i < n; i++) {
            out.add(readBody(r, r.readByte(), from, to));
        }
        r.expectEnd();
        return out;
    }

    // ---- standalone values ----------------------------------------------------------------------------

    public static byte[] encodeEntry(LogEntry entry) {
        return BinaryWriter.encodeExactly(w -> writeEntry(w.writeByte(VERSION).writeByte(LOG_ENTRY), entry, 0, 0));
    }

    public static LogEntry decodeEntry(byte[] bytes) {
        BinaryReader r = open(bytes);
        expectKind(r.readByte(), LOG_ENTRY);
        LogEntry e = readEntry(r, 0, 0);
        r.expectEnd();
        return e;
    }

    public static byte[] encodeSnapshotMeta(SnapshotMeta meta) {
        BinaryWriter w = new BinaryWriter(64);
        w.writeByte(VERSION).writeByte(SNAPSHOT_META);
        writeMeta(w, meta);
        return w.toByteArray();
    }

    public static SnapshotMeta decodeSnapshotMeta(byte[] bytes) {
        BinaryReader r = open(bytes);
        expectKind(r.readByte(), SNAPSHOT_META);
        SnapshotMeta m = readMeta(r);
        r.expectEnd();
        return m;
    }

    public static byte[] encodeMembership(Membership membership) {
        BinaryWriter w = new BinaryWriter(64);
        w.writeByte(VERSION).writeByte(MEMBERSHIP);
        membership.writeTo(w);
        return w.toByteArray();
    }

    public static Membership decodeMembership(byte[] bytes) {
        BinaryReader r = open(bytes);
        expectKind(r.readByte(), MEMBERSHIP);
        Membership m = readMembership(r);
        r.expectEnd();
        return m;
    }

    // ---- bodies ---------------------------------------------------------------------------------------

    private static int kindOf(RaftMessage m) {
        if (m instanceof RequestVote) return REQUEST_VOTE;
        if (m instanceof RequestVoteResponse) return REQUEST_VOTE_RESPONSE;
        if (m instanceof AppendEntries a) return a.confirmedIncarnation() == 0 ? APPEND_ENTRIES : APPEND_ENTRIES_CONFIRMING;
        if (m instanceof AppendEntriesResponse a) {
            return a.honoursLease() ? APPEND_ENTRIES_RESPONSE_LEASE
                    : identified(a.incarnation(), a.caughtUp()) ? APPEND_ENTRIES_RESPONSE_IDENTIFIED : APPEND_ENTRIES_RESPONSE;
        }
        if (m instanceof InstallSnapshot) return INSTALL_SNAPSHOT;
        if (m instanceof InstallSnapshotResponse s) {
            return identified(s.incarnation(), s.caughtUp()) ? INSTALL_SNAPSHOT_RESPONSE_IDENTIFIED : INSTALL_SNAPSHOT_RESPONSE;
        }
        if (m instanceof TimeoutNow) return TIMEOUT_NOW;
        if (m instanceof ReadIndexRequest) return READ_INDEX_REQUEST;
        if (m instanceof ReadIndexResponse) return READ_INDEX_RESPONSE;
        throw new IllegalArgumentException("no encoding for " + m.getClass().getName());
    }

    /** A sender without an incarnation is caught up: the older kinds say exactly that. */
    private static boolean identified(long incarnation, boolean caughtUp) {
        return incarnation != 0 || !caughtUp;
    }

    private static void writeBody(BinaryWriter w, RaftMessage message) {
        w.writeVarLong(message.term());
        // instanceof chain rather than a pattern switch: pattern switches are not final in Java 17.
        if (message instanceof RequestVote v) {
            w.writeVarLong(v.lastLogIndex()).writeVarLong(v.lastLogTerm())
                    .writeByte((v.preVote() ? 1 : 0) | (v.transfer() ? 2 : 0));
        } else if (message instanceof RequestVoteResponse v) {
            // Bit 4, a grant that counts only toward a unanimous election, is refused by older builds (they allow
            // bits 1 and 2): to them such an answer is lost, which is what a refusal would have been.
            w.writeByte((v.granted() ? 1 : 0) | (v.preVote() ? 2 : 0) | (v.unanimousOnly() ? 4 : 0));
        } else if (message instanceof AppendEntries a) {
            w.writeVarLong(a.prevLogIndex()).writeVarLong(a.prevLogTerm()).writeVarLong(a.leaderCommit())
                    .writeVarLong(a.round()).writeVarLong(a.entries().size());
            long prevIndex = a.prevLogIndex();
            long prevTerm = a.prevLogTerm();
            for (LogEntry e : a.entries()) {
                writeEntry(w, e, prevIndex, prevTerm);
                prevIndex = e.index();
                prevTerm = e.term();
            }
            if (a.confirmedIncarnation() != 0) {
                w.writeVarLong(a.confirmedIncarnation());
            }
        } else if (message instanceof AppendEntriesResponse a) {
            w.writeBoolean(a.success()).writeVarLong(a.matchIndex()).writeSignedVarLong(a.conflictTerm())
                    .writeSignedVarLong(a.conflictIndex()).writeVarLong(a.round());
            if (a.honoursLease() || identified(a.incarnation(), a.caughtUp())) {
                w.writeVarLong(a.incarnation()).writeBoolean(a.caughtUp());
            }
            if (a.honoursLease()) {
                w.writeVarLong(a.leaseMicros());
            }
        } else if (message instanceof InstallSnapshot s) {
            writeMeta(w, s.meta());
            w.writeVarLong(s.offset()).writeBytes(s.data()).writeBoolean(s.done());
        } else if (message instanceof InstallSnapshotResponse s) {
            w.writeVarLong(s.snapshotIndex()).writeVarLong(s.nextOffset()).writeBoolean(s.done());
            if (identified(s.incarnation(), s.caughtUp())) {
                w.writeVarLong(s.incarnation()).writeBoolean(s.caughtUp());
            }
        } else if (message instanceof ReadIndexRequest q) {
            w.writeSignedVarLong(q.requestId());
        } else if (message instanceof ReadIndexResponse q) {
            w.writeSignedVarLong(q.requestId()).writeSignedVarLong(q.readIndex());
        }
        // TimeoutNow carries nothing but the term.
    }

    private static RaftMessage readBody(BinaryReader r, int kind, String from, String to) {
        long term = readNonNegative(r, "term");
        return switch (kind) {
            case REQUEST_VOTE -> {
                long lastIndex = readNonNegative(r, "lastLogIndex");
                long lastTerm = readNonNegative(r, "lastLogTerm");
                int flags = readFlags(r, 3);
                yield new RequestVote(from, to, term, lastIndex, lastTerm, (flags & 1) != 0, (flags & 2) != 0);
            }
            case REQUEST_VOTE_RESPONSE -> {
                int flags = readFlags(r, 7);
                yield new RequestVoteResponse(from, to, term, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0);
            }
            case APPEND_ENTRIES -> readAppendEntries(r, from, to, term, false);
            case APPEND_ENTRIES_CONFIRMING -> readAppendEntries(r, from, to, term, true);
            case APPEND_ENTRIES_RESPONSE, APPEND_ENTRIES_RESPONSE_IDENTIFIED, APPEND_ENTRIES_RESPONSE_HONOURING_LEASE,
                 APPEND_ENTRIES_RESPONSE_LEASE -> {
                boolean success = r.readBoolean();
                long match = readNonNegative(r, "matchIndex");
                long conflictTerm = r.readSignedVarLong();
                long conflictIndex = r.readSignedVarLong();
                long round = readNonNegative(r, "round");
                if (kind == APPEND_ENTRIES_RESPONSE) {
                    yield new AppendEntriesResponse(from, to, term, success, match, conflictTerm, conflictIndex, round);
                }
                long incarnation = readNonNegative(r, "incarnation");
                boolean caughtUp = readCaughtUp(r, incarnation);
                long leaseMicros = 0;
                if (kind == APPEND_ENTRIES_RESPONSE_LEASE) {
                    leaseMicros = readNonNegative(r, "leaseMicros");
                    if (leaseMicros == 0) {
                        throw new CodecException("a lease answer with a lease of 0 microseconds");
                    }
                }
                yield new AppendEntriesResponse(from, to, term, success, match, conflictTerm, conflictIndex, round,
                        incarnation, caughtUp, leaseMicros);
            }
            case INSTALL_SNAPSHOT -> new InstallSnapshot(from, to, term, readMeta(r), readNonNegative(r, "offset"),
                    r.readBytes(), r.readBoolean());
            case INSTALL_SNAPSHOT_RESPONSE -> new InstallSnapshotResponse(from, to, term,
                    readNonNegative(r, "snapshotIndex"), readNonNegative(r, "nextOffset"), r.readBoolean());
            case INSTALL_SNAPSHOT_RESPONSE_IDENTIFIED -> {
                long index = readNonNegative(r, "snapshotIndex");
                long next = readNonNegative(r, "nextOffset");
                boolean done = r.readBoolean();
                long incarnation = readNonNegative(r, "incarnation");
                yield new InstallSnapshotResponse(from, to, term, index, next, done, incarnation,
                        readCaughtUp(r, incarnation));
            }
            case TIMEOUT_NOW -> new TimeoutNow(from, to, term);
            case READ_INDEX_REQUEST -> new ReadIndexRequest(from, to, term, r.readSignedVarLong());
            case READ_INDEX_RESPONSE -> new ReadIndexResponse(from, to, term, r.readSignedVarLong(),
                    r.readSignedVarLong());
            default -> throw new CodecException("unknown message kind " + kind);
        };
    }

    private static boolean readCaughtUp(BinaryReader r, long incarnation) {
        boolean caughtUp = r.readBoolean();
        if (incarnation == 0 && !caughtUp) {
            throw new CodecException("a sender without an incarnation is always caught up");
        }
        return caughtUp;
    }

    private static AppendEntries readAppendEntries(BinaryReader r, String from, String to, long term,
                                                   boolean confirming) {
        long prevIndex = readNonNegative(r, "prevLogIndex");
        long prevTerm = readNonNegative(r, "prevLogTerm");
        long commit = readNonNegative(r, "leaderCommit");
        long round = readNonNegative(r, "round");
        int n = r.readLength("entry count", BinaryReader.MAX_LENGTH);
        List<LogEntry> entries = new ArrayList<>(Math.min(n, r.remaining()));
        long lastIndex = prevIndex;
        long lastTerm = prevTerm;
        for (int i = 0; i < n; i++) {
            LogEntry e = readEntry(r, lastIndex, lastTerm);
            entries.add(e);
            lastIndex = e.index();
            lastTerm = e.term();
        }
        long confirmed = 0;
        if (confirming) {
            confirmed = readNonNegative(r, "confirmedIncarnation");
            if (confirmed == 0) {
                throw new CodecException("a confirming AppendEntries names an incarnation");
            }
        }
        return new AppendEntries(from, to, term, prevIndex, prevTerm, entries, commit, round, confirmed);
    }

    /** Term and index are stored relative to the previous entry: (+0, +1) is the common case. */
    private static void writeEntry(BinaryWriter w, LogEntry e, long prevIndex, long prevTerm) {
        w.writeSignedVarLong(e.index() - (prevIndex + 1)).writeSignedVarLong(e.term() - prevTerm)
                .writeByte(e.type().ordinal()).writeVarLong(e.clientId());
        if (e.clientId() != 0) {
            w.writeVarLong(e.sequence());
        }
        w.writeBytes(e.data());
    }

    private static LogEntry readEntry(BinaryReader r, long prevIndex, long prevTerm) {
        long index = prevIndex + 1 + r.readSignedVarLong();
        long term = prevTerm + r.readSignedVarLong();
        int type = r.readByte();
        if (type >= ENTRY_TYPES.length) {
            throw new CodecException("unknown entry type " + type);
        }
        long clientId = r.readVarLong();
        long sequence = clientId != 0 ? r.readVarLong() : 0;
        byte[] data = r.readBytes();
        if (index < 1 || term < 0) {
            throw new CodecException("bad entry position index=" + index + " term=" + term);
        }
        return new LogEntry(term, index, ENTRY_TYPES[type], clientId, sequence, data);
    }

    private static void writeMeta(BinaryWriter w, SnapshotMeta meta) {
        w.writeVarLong(meta.index()).writeVarLong(meta.term());
        meta.membership().writeTo(w);
    }

    private static SnapshotMeta readMeta(BinaryReader r) {
        return new SnapshotMeta(readNonNegative(r, "snapshot index"), readNonNegative(r, "snapshot term"),
                readMembership(r));
    }

    private static Membership readMembership(BinaryReader r) {
        try {
            return Membership.readFrom(r);
        } catch (IllegalArgumentException e) {
            // The record refuses a node that is both voter and learner; on the wire that is corruption.
            throw new CodecException("invalid membership: " + e.getMessage());
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private static BinaryReader open(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return open(bytes, 0, bytes.length);
    }

    private static BinaryReader open(byte[] bytes, int offset, int length) {
        BinaryReader r = new BinaryReader(bytes, offset, length);
        int version = r.readByte();
        if (version != VERSION) {
            throw new CodecException("unsupported format version " + version + " (this build reads " + VERSION + ")");
        }
        return r;
    }

    private static void expectKind(int kind, int expected) {
        if (kind != expected) {
            throw new CodecException("expected kind " + expected + " but found " + kind);
        }
    }

    private static String requireId(String id, String what) {
        if (id == null || id.isEmpty()) {
            throw new CodecException("missing node id for " + what);
        }
        return id;
    }

    private static long readNonNegative(BinaryReader r, String what) {
        long v = r.readVarLong();
        if (v < 0) {
            throw new CodecException("negative " + what + ": " + v);
        }
        return v;
    }

    private static int readFlags(BinaryReader r, int allowed) {
        int flags = r.readByte();
        if ((flags & ~allowed) != 0) {
            throw new CodecException("unknown flag bits " + Integer.toBinaryString(flags));
        }
        return flags;
    }
}
