package io.raftstore.storage.h2;

import io.raftstore.storage.Disk;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@link UnconfirmedChunks} recognises H2's chunk footers, on a file H2 itself wrote. */
class UnconfirmedChunksTest {
    @TempDir
    Path dir;

    /** A file of two commits (versions 1 and 2) and the footer of its newest chunk, at the file's end. */
    private byte[] lastFooter(Path file) throws IOException {
        MVStore store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        store.openMap("m").put("a", "1");
        store.commit();
        store.openMap("m").put("b", "2");
        store.commit();
        store.closeImmediately(); // a crash: no clean-shutdown header, nothing written after the last chunk
        byte[] bytes = Files.readAllBytes(file);
        return Arrays.copyOfRange(bytes, bytes.length - UnconfirmedChunks.FOOTER_LENGTH, bytes.length);
    }

    @Test
    void aFooterIsReadWithItsLengthAndVersion() throws IOException {
        Map<String, String> m = UnconfirmedChunks.footer(lastFooter(dir.resolve("a.mv.db")));
        assertNotNull(m);
        assertEquals(Set.of("chunk", "len", "version"), m.keySet());
        assertEquals("2", m.get("version"));
    }

    @Test
    void aFooterWhosePaddingATornWriteLeftAsZerosIsStillOne() throws IOException {
        byte[] footer = lastFooter(dir.resolve("a.mv.db"));
        for (int i = footer.length - 1; footer[i] == ' ' || footer[i] == '\n'; i--) {
            footer[i] = 0; // H2 trims every byte up to the space, so it takes such a chunk as whole
        }
        assertNotNull(UnconfirmedChunks.footer(footer), new String(footer, 0, 60));
    }

    @Test
    void aFooterThatFailsItsChecksumIsNone() throws IOException {
        byte[] footer = lastFooter(dir.resolve("a.mv.db"));
        footer[footer.length / 4] ^= 1;
        assertNull(UnconfirmedChunks.footer(footer));
        assertNull(UnconfirmedChunks.footer(new byte[UnconfirmedChunks.FOOTER_LENGTH]));
    }

    @Test
    void chunksNewerThanTheConfirmedVersionAreZeroedAndH2OpensAtIt() throws IOException {
        Path file = dir.resolve("b.mv.db");
        byte[] before = lastFooter(file);
        assertEquals(1, UnconfirmedChunks.discard(Disk.REAL, file, 1));
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(new byte[UnconfirmedChunks.FOOTER_LENGTH],
                Arrays.copyOfRange(bytes, bytes.length - before.length, bytes.length));
        MVStore store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        try {
            assertEquals(1, store.getCurrentVersion());
            assertEquals("1", store.openMap("m").get("a"));
            assertNull(store.openMap("m").get("b"));
        } finally {
            store.closeImmediately();
        }
        assertEquals(0, UnconfirmedChunks.discard(Disk.REAL, file, 2), "nothing newer than version 2 is left");
    }

    @Test
    void chunksPastTheFirstMegabyteAreFoundToo() throws IOException {
        Path file = dir.resolve("c.mv.db");
        MVStore store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        for (int version = 1; version <= 400; version++) { // each commit a chunk of its own, past 256 blocks in all
            store.openMap("m").put("k" + version, "v".repeat(5000));
            store.commit();
        }
        store.closeImmediately();
        assertTrue(Files.size(file) > 2L * 1024 * 1024, "file size " + Files.size(file));
        assertEquals(3, UnconfirmedChunks.discard(Disk.REAL, file, 397));
        MVStore reopened = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        try {
            assertEquals(397, reopened.getCurrentVersion());
            assertEquals(397, reopened.openMap("m").size());
        } finally {
            reopened.closeImmediately();
        }
    }
}
