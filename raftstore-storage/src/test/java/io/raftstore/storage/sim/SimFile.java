package io.raftstore.storage.sim;

import java.nio.channels.FileLock;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Random;
import java.util.function.IntPredicate;

/**
 * The content of one simulated file: what reads see ({@code live}) and what a crash would leave
 * ({@code durable}). A write changes only {@code live} and marks its pages dirty; an fsync copies the dirty
 * pages and the length to {@code durable}; a crash makes a new durable image from the old one and some of the
 * dirty pages, as a {@link CrashMode} says.
 */
final class SimFile {
    static final int PAGE = 512;

    private byte[] live = new byte[0];
    private byte[] durable = new byte[0];
    /** Pages written since the last fsync. */
    private final BitSet dirty = new BitSet();
    /** The shortest {@code live} was since the last fsync: a truncation, durable only once synced. */
    private int shrunkTo;
    /** Where the last write since the last fsync went, or -1; and what those bytes held before it. */
    private int lastWriteAt = -1;
    private byte[] lastWriteReplaced;
    /** The latest lock taken on the file; it holds only while {@link FileLock#isValid()}. */
    private FileLock lock;

    FileLock lock() {
        return lock;
    }

    void lock(FileLock lock) {
        this.lock = lock;
    }

    int size() {
        return live.length;
    }

    /** Copies up to {@code length} bytes from {@code offset} into {@code into}; returns how many, -1 at the end. */
    int read(long offset, byte[] into, int length) {
        if (offset >= live.length) {
            return -1;
        }
        int n = (int) Math.min(length, live.length - offset);
        System.arraycopy(live, (int) offset, into, 0, n);
        return n;
    }

    void write(long offset, byte[] bytes) {
        if (bytes.length == 0) {
            return;
        }
        int at = Math.toIntExact(offset);
        lastWriteAt = at;
        lastWriteReplaced = Arrays.copyOf( // what the write replaces; beyond the end, zeros
                Arrays.copyOfRange(live, Math.min(at, live.length), Math.min(at + bytes.length, live.length)),
                bytes.length);
        if (at + bytes.length > live.length) {
            live = Arrays.copyOf(live, at + bytes.length); // a hole reads as zeros, as on a real file
        }
        System.arraycopy(bytes, 0, live, at, bytes.length);
        dirty.set(at / PAGE, (at + bytes.length - 1) / PAGE + 1);
    }

    void truncate(long size) {
        if (size < live.length) {
            live = Arrays.copyOf(live, (int) size);
            shrunkTo = Math.min(shrunkTo, live.length);
        }
    }

    /** An fsync: the dirty pages and the length become durable. */
    void force() {
        lengthReachesDisk();
        writeBack(p -> true);
        markClean();
    }

    /**
     * A failed fsync, as Linux may leave it: some dirty pages were written, and all are marked clean, so a
     * later fsync will not write the others and a crash loses them (reads still see them until then).
     */
    void failForce(Random random) {
        if (random.nextBoolean()) {
            lengthReachesDisk();
        }
        writeBack(p -> random.nextBoolean());
        markClean();
    }

    /** A crash: the durable image becomes what {@code mode} leaves of the unsynced writes; reads see it after. */
    void crash(CrashMode mode, Random random) {
        boolean lengthReached = switch (mode) {
            case LOSE_UNSYNCED -> false;
            case TEAR_LAST_WRITE -> true;
            case REORDER_PAGES, ANY -> random.nextBoolean();
        };
        if (lengthReached) {
            lengthReachesDisk();
        }
        switch (mode) {
            case LOSE_UNSYNCED -> { }
            case TEAR_LAST_WRITE -> tearLastWrite(random);
            case REORDER_PAGES -> writeBack(p -> random.nextBoolean());
            case ANY -> dirty.stream().forEach(p -> {
                switch (random.nextInt(3)) {
                    case 0 -> copyLive(p * PAGE, PAGE);
                    case 1 -> copyLive(p * PAGE, random.nextInt(PAGE)); // torn: a prefix of the page
                    default -> { } // lost
                }
            });
        }
        live = durable.clone();
        shrunkTo = live.length;
        markClean();
    }

    private void tearLastWrite(Random random) {
        writeBack(p -> true);
        if (lastWriteAt >= 0 && lastWriteReplaced.length > 0) {
            // A strict prefix of the last write reached the disk; the rest still holds what it replaced.
            int kept = random.nextInt(lastWriteReplaced.length);
            int to = Math.min(lastWriteReplaced.length, durable.length - lastWriteAt);
            if (to > kept) {
                System.arraycopy(lastWriteReplaced, kept, durable, lastWriteAt + kept, to - kept);
            }
        }
    }

    /** The durable image takes the live length, cut first where a truncation left the file. */
    private void lengthReachesDisk() {
        durable = Arrays.copyOf(Arrays.copyOf(durable, Math.min(durable.length, shrunkTo)), live.length);
        shrunkTo = live.length;
    }

    private void writeBack(IntPredicate page) {
        dirty.stream().filter(page).forEach(p -> copyLive(p * PAGE, PAGE));
    }

    /** Copies live bytes {@code [from, from + length)} to the durable image, within both lengths. */
    private void copyLive(int from, int length) {
        int to = Math.min(from + length, Math.min(live.length, durable.length));
        if (to > from) {
            System.arraycopy(live, from, durable, from, to - from);
        }
    }

    private void markClean() {
        dirty.clear();
        lastWriteAt = -1;
        lastWriteReplaced = null;
    }
}
