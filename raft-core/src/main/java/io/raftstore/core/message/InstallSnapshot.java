package io.raftstore.core.message;

import io.raftstore.core.SnapshotMeta;

import java.util.Arrays;
import java.util.Objects;

/**
 * One chunk of a snapshot the leader sends to a follower behind its compacted log.
 *
 * @param offset where {@code data} starts in the snapshot's bytes; 0 starts a new transfer
 * @param done   true on the last chunk
 */
public record InstallSnapshot(String from, String to, long term, SnapshotMeta meta, long offset, byte[] data,
                              boolean done) implements RaftMessage {
    @Override
    public boolean equals(Object o) {
        return o instanceof InstallSnapshot s && s.from.equals(from) && s.to.equals(to) && s.term == term
                && s.meta.equals(meta) && s.offset == offset && Arrays.equals(s.data, data)
                && s.done == done;
    }

    @Override
    public int hashCode() {
        return Objects.hash(from, to, term, meta, offset, done) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "InstallSnapshot[" + from + "->" + to + " t" + term + " " + meta.index() + "@" + meta.term()
                + " off=" + offset + " len=" + data.length + (done ? " done" : "") + "]";
    }
}
