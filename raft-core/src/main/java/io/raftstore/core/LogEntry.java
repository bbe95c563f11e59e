package io.raftstore.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of the replicated log.
 *
 * @param term     the leader term in which the entry was created
 * @param index    its position in the log, starting at 1
 * @param type     what it carries
 * @param clientId the client session it belongs to, or 0 for none (no exactly-once guarantee)
 * @param sequence the client's sequence number within its session (ignored when clientId is 0)
 * @param data     the payload; never null
 */
public record LogEntry(long term, long index, EntryType type, long clientId, long sequence, byte[] data) {

    private static final byte[] EMPTY = new byte[0];

    public LogEntry {
        Objects.requireNonNull(type, "type");
        data = data == null ? EMPTY : data;
        if (term < 0 || index < 1) {
            throw new IllegalArgumentException("bad entry position term=" + term + " index=" + index);
        }
    }

    /** A command without a client session. */
    public static LogEntry command(long term, long index, byte[] data) {
        return new LogEntry(term, index, EntryType.COMMAND, 0, 0, data);
    }

    /** Approximate size in bytes, used to bound batches. */
    public int sizeInBytes() {
        return 32 + data.length;
    }

    /** The same entry at another position (used when a leader assigns index and term). */
    public LogEntry at(long newTerm, long newIndex) {
        return new LogEntry(newTerm, newIndex, type, clientId, sequence, data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogEntry e && e.term == term && e.index == index && e.type == type
                && e.clientId == clientId && e.sequence == sequence && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(term, index, type, clientId, sequence) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "LogEntry[" + index + "@" + term + " " + type
                + (clientId != 0 ? " c" + clientId + "#" + sequence : "") + " " + data.length + "B]";
    }
}
