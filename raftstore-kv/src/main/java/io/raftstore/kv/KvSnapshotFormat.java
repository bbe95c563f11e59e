package io.raftstore.kv;

import io.raftstore.core.codec.BinaryReader;
import io.raftstore.core.codec.BinaryWriter;
import io.raftstore.core.codec.CodecException;
import io.raftstore.storage.h2.PinnedRoots;
import org.h2.mvstore.Cursor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The key-value snapshot stream: a header record (format, applied index and term), one record per key,
 * one per client session, one per prepared two-phase transaction, and a trailer with the counts and a
 * CRC32C of everything before it, so a truncated or corrupted stream is never mistaken for a complete one.
 * Records are framed by {@link FrameStream}. Format 1 (before two-phase transactions: no prepared records,
 * two counts in the trailer) is still read, so a node installs a snapshot an older node sent or stored, and
 * still written while no transaction is prepared, so an older node installs that one.
 */
final class KvSnapshotFormat {
    private static final String MAGIC = "raftstore-kv-snapshot";
    private static final int FORMAT = 2;
    private static final int FORMAT_WITHOUT_PREPARED = 1;
    private static final int HEADER = 'H';
    private static final int DATA = 'D';
    private static final int SESSION = 'S';
    private static final int PREPARED = 'P';
    private static final int END = 'E';

    private KvSnapshotFormat() {
    }

    /** Streams the state captured by {@code view} (its applied index is {@code applied}). */
    static void write(KvTables t, PinnedRoots view, long[] applied, OutputStream target) {
        CheckedOutputStream out = new CheckedOutputStream(target, new CRC32C());
        // Format 1 while nothing is prepared: a node of an older version, met in a rolling upgrade, installs it.
        boolean anyPrepared = view.cursor(t.prepared, null).hasNext();
        int format = anyPrepared ? FORMAT : FORMAT_WITHOUT_PREPARED;
        FrameStream.write(out, new BinaryWriter(48).writeByte(HEADER).writeString(MAGIC).writeVarLong(format)
                .writeVarLong(applied[0]).writeVarLong(applied[1]).toByteArray());
        long dataCount = 0;
        Cursor<String, byte[]> data = view.cursor(t.data, null);
        while (data.hasNext()) {
            String key = data.next();
            KvTables.Entry e = t.decode(key, data.getValue());
            FrameStream.write(out, new BinaryWriter(e.value().length + key.length() + 24).writeByte(DATA)
                    .writeString(key).writeBytes(e.value()).writeVarLong(e.version()).writeVarLong(e.createIndex())
                    .toByteArray());
            dataCount++;
        }
        long sessionCount = 0;
        Cursor<Long, byte[]> sessions = view.cursor(t.sessions, null);
        while (sessions.hasNext()) {
            long clientId = sessions.next();
            SessionTable.Session s = SessionTable.Session.decode(clientId, sessions.getValue());
            FrameStream.write(out, new BinaryWriter(s.result().length + 32).writeByte(SESSION).writeVarLong(clientId)
                    .writeVarLong(s.sequence()).writeVarLong(s.index()).writeBytes(s.result()).toByteArray());
            sessionCount++;
        }
        long preparedCount = 0;
        PreparedTransactions prepared = new PreparedTransactions(t);
        Cursor<String, byte[]> transactions = view.cursor(t.prepared, null);
        while (transactions.hasNext()) {
            String txId = transactions.next();
            BinaryWriter w = new BinaryWriter(64).writeByte(PREPARED);
            prepared.decode(txId, transactions.getValue()).writeTo(w);
            FrameStream.write(out, w.toByteArray());
            preparedCount++;
        }
        BinaryWriter end = new BinaryWriter(32).writeByte(END).writeVarLong(dataCount).writeVarLong(sessionCount);
        if (anyPrepared) {
            end.writeVarLong(preparedCount);
        }
        FrameStream.write(out, end.writeVarLong(out.getChecksum().getValue()).toByteArray());
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write snapshot", e);
        }
    }

    /** Receives what {@link #read} decodes, record by record. */
    interface Loader {
        void entry(String key, KvTables.Entry entry);

        void session(SessionTable.Session session);

        void prepared(PreparedTransaction transaction);

        /** Called every so many records, to bound memory. */
        void checkpoint();
    }

    /**
     * Reads a whole snapshot into {@code loader}; returns its {index, term}.
     *
     * @throws CodecException when the stream is truncated, corrupted or of another format
     */
    static long[] read(InputStream source, Loader loader, int checkpointEvery) {
        CheckedInputStream in = new CheckedInputStream(source, new CRC32C());
        BinaryReader header = reader(FrameStream.read(in), HEADER);
        long format = MAGIC.equals(header.readString()) ? header.readVarLong() : -1;
        if (format != FORMAT && format != FORMAT_WITHOUT_PREPARED) {
            throw new CodecException("not a key-value snapshot of format " + FORMAT_WITHOUT_PREPARED + " or " + FORMAT);
        }
        long[] applied = {header.readVarLong(), header.readVarLong()};
        header.expectEnd();
        long dataCount = 0;
        long sessionCount = 0;
        long preparedCount = 0;
        while (true) {
            long crcSoFar = in.getChecksum().getValue();
            byte[] frame = FrameStream.read(in);
            if (frame == null) {
                throw new CodecException("snapshot ends without its trailer after " + dataCount + " keys");
            }
            BinaryReader r = new BinaryReader(frame);
            int kind = r.readByte();
            if (kind == DATA) {
                String key = r.readString();
                KvTables.Entry e = new KvTables.Entry(r.readBytes(), r.readVarLong(), r.readVarLong());
                r.expectEnd();
                if (key == null) {
                    throw new CodecException("snapshot key record without a key");
                }
                loader.entry(key, e);
                dataCount++;
            } else if (kind == SESSION) {
                SessionTable.Session s = new SessionTable.Session(r.readVarLong(), r.readVarLong(), r.readVarLong(),
                        r.readBytes());
                r.expectEnd();
                loader.session(s);
                sessionCount++;
            } else if (kind == PREPARED && format == FORMAT) {
                PreparedTransaction tx = PreparedTransaction.readFrom(r);
                r.expectEnd();
                loader.prepared(tx);
                preparedCount++;
            } else if (kind == END) {
                if (r.readVarLong() != dataCount || r.readVarLong() != sessionCount
                        || (format == FORMAT && r.readVarLong() != preparedCount)) {
                    throw new CodecException("snapshot trailer counts do not match its " + dataCount + " keys, "
                            + sessionCount + " sessions and " + preparedCount + " prepared transactions");
                }
                if (r.readVarLong() != crcSoFar) {
                    throw new CodecException("snapshot fails its checksum");
                }
                r.expectEnd();
                if (FrameStream.read(in) != null) {
                    throw new CodecException("snapshot has data after its trailer");
                }
                return applied;
            } else {
                throw new CodecException("unknown snapshot record kind " + kind);
            }
            if ((dataCount + sessionCount + preparedCount) % checkpointEvery == 0) {
                loader.checkpoint();
            }
        }
    }

    private static BinaryReader reader(byte[] frame, int kind) {
        if (frame == null) {
            throw new CodecException("snapshot is empty");
        }
        BinaryReader r = new BinaryReader(frame);
        if (r.readByte() != kind) {
            throw new CodecException("snapshot does not start with its header");
        }
        return r;
    }
}
