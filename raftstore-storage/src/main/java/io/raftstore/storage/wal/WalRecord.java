package io.raftstore.storage.wal;

import io.raftstore.core.EntryType;
import io.raftstore.core.HardState;
import io.raftstore.core.LogEntry;
import io.raftstore.core.codec.BinaryReader;
import io.raftstore.core.codec.BinaryWriter;
import io.raftstore.core.codec.CodecException;

/**
 * One change to a node's persisted Raft state, in the order the write-ahead log replays them. Replaying
 * every record from the oldest segment on rebuilds the log and the hard state; the newest record of a
 * kind wins where they overlap (an entry at an index already held truncates the conflicting suffix).
 */
sealed interface WalRecord {

    /** An appended log entry; one at an index already held replaces it and everything after it. */
    record Entry(LogEntry entry) implements WalRecord {
    }

    /** The term, vote and commit index now in force. */
    record HardStateSaved(HardState state) implements WalRecord {
    }

    /** Entries up to {@code index} were discarded after a snapshot; {@code term} is the term at {@code index}. */
    record Compacted(long index, long term) implements WalRecord {
    }

    /** Every entry was discarded; the log restarts after a snapshot ending at {@code index}, {@code term}. */
    record Reset(long index, long term) implements WalRecord {
    }

    /**
     * Written first in every frame by {@link WriteAheadLog}: the segment was fsynced up to {@code offset}
     * before this frame was written, so every frame before that offset must replay intact. Never passed to
     * a replay callback.
     */
    record Synced(long offset) implements WalRecord {
    }

    int ENTRY = 1;
    int HARD_STATE = 2;
    int COMPACTED = 3;
    int RESET = 4;
    int SYNCED = 5;
    /** A hard state with its incarnation (issue 12, finding 1); one without keeps {@link #HARD_STATE}. */
    int HARD_STATE_IDENTIFIED = 6;
    EntryType[] TYPES = EntryType.values();

    static void encode(WalRecord record, BinaryWriter w) {
        if (record instanceof Entry entry) {
            LogEntry e = entry.entry();
            w.writeByte(ENTRY).writeVarLong(e.index()).writeVarLong(e.term()).writeByte(e.type().ordinal())
                    .writeVarLong(e.clientId()).writeVarLong(e.sequence()).writeBytes(e.data());
        } else if (record instanceof HardStateSaved saved) {
            HardState s = saved.state();
            w.writeByte(s.incarnation() == 0 ? HARD_STATE : HARD_STATE_IDENTIFIED).writeVarLong(s.term())
                    .writeString(s.votedFor()).writeVarLong(s.commitIndex());
            if (s.incarnation() != 0) {
                w.writeVarLong(s.incarnation()).writeBoolean(s.caughtUp());
            }
        } else if (record instanceof Compacted c) {
            w.writeByte(COMPACTED).writeVarLong(c.index()).writeVarLong(c.term());
        } else if (record instanceof Reset r) {
            w.writeByte(RESET).writeVarLong(r.index()).writeVarLong(r.term());
        } else if (record instanceof Synced s) {
            w.writeByte(SYNCED).writeVarLong(s.offset());
        }
    }

    /** Reads the record at the reader's position. @throws CodecException when the bytes are not a record */
    static WalRecord decode(BinaryReader r) {
        int op = r.readByte();
        return switch (op) {
            case ENTRY -> {
                long index = r.readVarLong();
                long term = r.readVarLong();
                int type = r.readByte();
                if (type >= TYPES.length) {
                    throw new CodecException("unknown entry type " + type + " at index " + index);
                }
                yield new Entry(new LogEntry(term, index, TYPES[type], r.readVarLong(), r.readVarLong(), r.readBytes()));
            }
            case HARD_STATE -> new HardStateSaved(new HardState(r.readVarLong(), r.readString(), r.readVarLong()));
            case HARD_STATE_IDENTIFIED -> new HardStateSaved(new HardState(r.readVarLong(), r.readString(),
                    r.readVarLong(), r.readVarLong(), r.readBoolean()));
            case COMPACTED -> new Compacted(r.readVarLong(), r.readVarLong());
            case RESET -> new Reset(r.readVarLong(), r.readVarLong());
            case SYNCED -> new Synced(r.readVarLong());
            default -> throw new CodecException("unknown write-ahead log record type " + op);
        };
    }
}
