package io.raftstore.storage.h2;

import io.raftstore.core.EntryType;
import io.raftstore.core.LogEntry;
import io.raftstore.core.codec.BinaryReader;
import io.raftstore.core.codec.BinaryWriter;
import io.raftstore.core.codec.CodecException;

/** The stored form of a log entry (its index is the map key, so it is not repeated), sealed by a CRC32C. */
final class LogEntryCodec {
    private static final EntryType[] TYPES = EntryType.values();

    private LogEntryCodec() {
    }

    static byte[] encode(LogEntry e) {
        BinaryWriter w = new BinaryWriter(e.data().length + 24);
        w.writeVarLong(e.term()).writeByte(e.type().ordinal()).writeVarLong(e.clientId())
                .writeVarLong(e.sequence()).writeBytes(e.data());
        return Checksums.seal(w.toByteArray());
    }

    /** @throws IllegalStateException or CodecException when the stored bytes are damaged */
    static LogEntry decode(long index, byte[] stored) {
        BinaryReader r = new BinaryReader(Checksums.open(stored, "log entry " + index));
        long term = r.readVarLong();
        int type = r.readByte();
        if (type >= TYPES.length) {
            throw new CodecException("unknown entry type " + type + " at index " + index);
        }
        LogEntry e = new LogEntry(term, index, TYPES[type], r.readVarLong(), r.readVarLong(), r.readBytes());
        r.expectEnd();
        return e;
    }
}
