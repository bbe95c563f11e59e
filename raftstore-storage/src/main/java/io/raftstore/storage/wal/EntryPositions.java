package io.raftstore.storage.wal;

import java.util.Arrays;

/**
 * Where each held log entry lies in the write-ahead log (segment, offset, length) and its term, for a
 * contiguous run of indexes {@code [first, last]}: terms answer without a read, entries with one
 * positional read. About 28 bytes an entry.
 */
final class EntryPositions {
    /** The segment of an entry whose frame is not written yet; its offset is relative to the frame. */
    static final long UNPLACED = -1;

    private long first = 1;
    private int head;
    private int count;
    private long[] terms = new long[1024];
    private long[] seqs = new long[1024];
    private long[] offsets = new long[1024];
    private int[] lengths = new int[1024];

    int count() {
        return count;
    }

    long first() {
        return first;
    }

    long last() {
        return first + count - 1;
    }

    boolean holds(long index) {
        return count > 0 && index >= first && index <= last();
    }

    /** Adds the entry after the last; the first one added to an empty run fixes {@code first}. */
    void add(long index, long term, long seq, long offset, int length) {
        if (count == 0) {
            first = index;
            head = 0;
        } else if (index != last() + 1) {
            throw new IllegalArgumentException("entry " + index + " does not follow " + last());
        }
        if (head + count == terms.length) {
            grow();
        }
        int slot = head + count;
        terms[slot] = term;
        seqs[slot] = seq;
        offsets[slot] = offset;
        lengths[slot] = length;
        count++;
    }

    private void grow() {
        int capacity = count * 2 > terms.length ? terms.length * 2 : terms.length; // else compacting makes room
        terms = Arrays.copyOfRange(terms, head, head + capacity);
        seqs = Arrays.copyOfRange(seqs, head, head + capacity);
        offsets = Arrays.copyOfRange(offsets, head, head + capacity);
        lengths = Arrays.copyOfRange(lengths, head, head + capacity);
        head = 0;
    }

    /** Drops {@code index} and everything after it. */
    void truncateFrom(long index) {
        if (index <= first) {
            count = 0;
        } else if (index <= last()) {
            count = (int) (index - first);
        }
    }

    /** Drops everything up to and including {@code index}; the next entry is {@code index + 1}. */
    void dropThrough(long index) {
        if (count == 0 || index >= last()) {
            restartAfter(index);
        } else if (index >= first) {
            int n = (int) (index - first + 1);
            head += n;
            count -= n;
            first = index + 1;
        }
    }

    /** Drops every entry; the next one added is {@code index + 1}. */
    void restartAfter(long index) {
        count = 0;
        head = 0;
        first = index + 1;
    }

    long term(long index) {
        return terms[slot(index)];
    }

    long seq(long index) {
        return seqs[slot(index)];
    }

    long offset(long index) {
        return offsets[slot(index)];
    }

    int length(long index) {
        return lengths[slot(index)];
    }

    /** Records where an unplaced entry's frame landed. */
    void place(long index, long seq, long frameBase) {
        int slot = slot(index);
        if (seqs[slot] == UNPLACED) {
            seqs[slot] = seq;
            offsets[slot] += frameBase;
        }
    }

    private int slot(long index) {
        if (!holds(index)) {
            throw new IllegalArgumentException("no entry " + index + " in " + first + ".." + last());
        }
        return head + (int) (index - first);
    }
}
