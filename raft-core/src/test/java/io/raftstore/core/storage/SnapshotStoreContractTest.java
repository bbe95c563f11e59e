package io.raftstore.core.storage;

import io.raftstore.core.Membership;
import io.raftstore.core.SnapshotMeta;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The {@link SnapshotStore} contract as executable checks, each quoting the sentence it verifies. An
 * implementation's test extends this class and supplies {@link #newStore()} and {@link #reopen}.
 */
public abstract class SnapshotStoreContractTest {

    /** A fresh, empty store, independent of every store created before. */
    protected abstract SnapshotStore newStore();

    /**
     * Simulates a crash and restart: a new store over the same durable data as {@code previous}. Sinks of
     * {@code previous} that were not committed are never used again.
     */
    protected abstract SnapshotStore reopen(SnapshotStore previous);

    protected static final Membership MEMBERS = Membership.ofVoters("n1", "n2", "n3");

    protected SnapshotStore store;

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    protected static SnapshotMeta meta(long index, long term) {
        return new SnapshotMeta(index, term, MEMBERS);
    }

    protected static byte[] bytes(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Writes and commits a whole snapshot. */
    protected final void put(SnapshotMeta meta, byte[] data) {
        try (SnapshotSink sink = store.begin(meta)) {
            write(sink, data);
            sink.commit();
        }
    }

    protected static void write(SnapshotSink sink, byte[] data) {
        try {
            sink.stream().write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the latest snapshot in chunks through {@link SnapshotStore#read}, as a leader sending it would. */
    protected final byte[] readInChunks(SnapshotMeta meta, int chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long offset = 0;
        while (true) {
            byte[] part = store.read(meta, offset, chunk);
            if (part.length == 0) {
                return out.toByteArray();
            }
            out.write(part, 0, part.length);
            offset += part.length;
        }
    }

    // "Metadata of the latest complete snapshot, if any." / "Length in bytes of the latest snapshot, 0 if none."
    @Test
    void freshStoreHasNoSnapshot() {
        assertEquals(Optional.empty(), store.latest());
        assertEquals(0, store.length());
    }

    // "Its SnapshotSink.commit() makes it the latest"
    @Test
    void committedSnapshotBecomesTheLatest() {
        byte[] data = bytes(10_000, 1);
        put(meta(10, 2), data);
        assertEquals(Optional.of(meta(10, 2)), store.latest());
        assertEquals(data.length, store.length());
        assertArrayEquals(data, readAll(store.open(meta(10, 2))));
    }

    // "Up to maxBytes of the latest snapshot starting at offset; an empty array at the end."
    @Test
    void readReturnsChunksAndAnEmptyArrayAtTheEnd() {
        byte[] data = bytes(1000, 2);
        put(meta(5, 1), data);
        assertArrayEquals(Arrays.copyOfRange(data, 0, 300), store.read(meta(5, 1), 0, 300));
        assertArrayEquals(Arrays.copyOfRange(data, 900, 1000), store.read(meta(5, 1), 900, 300));
        assertEquals(0, store.read(meta(5, 1), 1000, 300).length);
        assertArrayEquals(data, readInChunks(meta(5, 1), 333));
    }

    // An empty snapshot is still a snapshot.
    @Test
    void emptySnapshotIsAllowed() {
        put(meta(1, 1), new byte[0]);
        assertEquals(Optional.of(meta(1, 1)), store.latest());
        assertEquals(0, store.length());
        assertEquals(0, store.read(meta(1, 1), 0, 10).length);
    }

    // "replacing the previous one"
    @Test
    void commitReplacesThePreviousSnapshot() {
        put(meta(10, 2), bytes(500, 3));
        byte[] newer = bytes(700, 4);
        put(meta(20, 3), newer);
        assertEquals(Optional.of(meta(20, 3)), store.latest());
        assertArrayEquals(newer, readAll(store.open(meta(20, 3))));
    }

    // "@throws StorageException when meta is no longer the latest snapshot"
    @Test
    void readingAReplacedSnapshotThrows() {
        put(meta(10, 2), bytes(500, 3));
        put(meta(20, 3), bytes(500, 5));
        assertThrows(StorageException.class, () -> store.read(meta(10, 2), 0, 100));
        assertThrows(StorageException.class, () -> store.read(meta(30, 3), 0, 100));
    }

    // "until then latest() is unchanged"
    @Test
    void uncommittedSnapshotIsInvisible() {
        byte[] old = bytes(300, 6);
        put(meta(10, 2), old);
        SnapshotSink sink = store.begin(meta(20, 3));
        write(sink, bytes(400, 7));
        assertEquals(400, sink.written());
        assertEquals(meta(20, 3), sink.meta());
        assertEquals(Optional.of(meta(10, 2)), store.latest());
        assertEquals(old.length, store.length());
        assertArrayEquals(old, readInChunks(meta(10, 2), 64));
        sink.close();
    }

    // "Discards what was written; a no-op after commit()."
    @Test
    void closingWithoutCommitDiscardsAndClosingAfterCommitKeeps() {
        put(meta(10, 2), bytes(100, 8));
        SnapshotSink abandoned = store.begin(meta(20, 3));
        write(abandoned, bytes(100, 9));
        abandoned.close();
        assertEquals(Optional.of(meta(10, 2)), store.latest());

        SnapshotSink sink = store.begin(meta(30, 3));
        write(sink, bytes(100, 10));
        sink.commit();
        sink.close();
        assertEquals(Optional.of(meta(30, 3)), store.latest());
    }

    // "begin starts a new snapshot and abandons any unfinished one."
    @Test
    void beginAbandonsTheUnfinishedSnapshot() {
        put(meta(10, 2), bytes(100, 11));
        SnapshotSink first = store.begin(meta(20, 3));
        write(first, bytes(50, 12));
        SnapshotSink second = store.begin(meta(25, 3));
        byte[] data = bytes(80, 13);
        write(second, data);
        assertThrows(RuntimeException.class, first::commit);
        assertEquals(Optional.of(meta(10, 2)), store.latest());
        second.commit();
        assertEquals(Optional.of(meta(25, 3)), store.latest());
        assertArrayEquals(data, readAll(store.open(meta(25, 3))));
    }

    // "A committed snapshot is durable and complete."
    @Test
    void committedSnapshotSurvivesARestart() {
        byte[] data = bytes(20_000, 14);
        put(meta(40, 5), data);
        store = reopen(store);
        assertEquals(Optional.of(meta(40, 5)), store.latest());
        assertEquals(data.length, store.length());
        assertArrayEquals(data, readInChunks(meta(40, 5), 4096));
    }

    // "A crash while writing leaves the previous latest intact; the partial one is discarded on the next open"
    @Test
    void crashWhileWritingKeepsThePreviousSnapshot() {
        byte[] data = bytes(1000, 15);
        put(meta(40, 5), data);
        SnapshotSink partial = store.begin(meta(50, 6));
        write(partial, bytes(500, 16));
        store = reopen(store);
        assertEquals(Optional.of(meta(40, 5)), store.latest());
        assertArrayEquals(data, readAll(store.open(meta(40, 5))));
        // The store is usable after the crash: a new snapshot can be written.
        put(meta(60, 6), bytes(10, 17));
        assertEquals(Optional.of(meta(60, 6)), store.latest());
    }

    @Test
    void emptyStoreSurvivesARestart() {
        store = reopen(store);
        assertEquals(Optional.empty(), store.latest());
    }

    // The membership in the metadata is kept exactly (learners included).
    @Test
    void metadataKeepsTheMembership() {
        SnapshotMeta meta = new SnapshotMeta(9, 2, new Membership(Set.of("a", "b"), Set.of("c")));
        put(meta, bytes(10, 18));
        assertEquals(Optional.of(meta), reopen(store).latest());
    }

    // "latest(), read and open may be called from another thread while a sink is written"
    @Test
    void anotherThreadReadsTheLatestWhileASinkIsWritten() throws Exception {
        byte[] old = bytes(50_000, 19);
        put(meta(10, 2), old);
        SnapshotSink sink = store.begin(meta(20, 3));
        for (int i = 0; i < 10; i++) {
            write(sink, bytes(5_000, 20 + i));
            byte[] seen = CompletableFuture.supplyAsync(() -> {
                assertEquals(Optional.of(meta(10, 2)), store.latest());
                return readAll(store.open(meta(10, 2)));
            }).get();
            assertArrayEquals(old, seen);
        }
        sink.commit();
        assertEquals(Optional.of(meta(20, 3)), CompletableFuture.supplyAsync(store::latest).get());
    }
}
