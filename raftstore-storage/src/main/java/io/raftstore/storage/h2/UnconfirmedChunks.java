package io.raftstore.storage.h2;

import io.raftstore.storage.Disk;
import org.h2.mvstore.DataUtils;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Removes from an MVStore file, before H2 opens it, every chunk of a version newer than the one its watermark
 * confirmed (docs/storage.md, "Torn commits"). Such a chunk was never reported written and may be torn; left in
 * place, H2 takes it as the newest when its header and footer survived, and asking H2 to roll back from there
 * fails when the torn chunk's own chunk list is what was lost ("Unknown version"). Without those chunks H2's
 * recovery at open finds the confirmed version as the newest whole one.
 *
 * <p>A chunk is found by its footer: the last {@value #FOOTER_LENGTH} bytes of a block, a map with a checksum
 * naming the chunk's id, length and version (H2's format since 2.0, which the version pinned in the build
 * writes). Both the footer and the header block are overwritten with zeros, so neither H2's scan from the
 * footers nor its walk along the chunks' "next" links can take it; its space is then free in the confirmed
 * version and H2 reuses it. Nothing that version needs is touched: with every commit synced and confirmed before
 * the next one begins, an unconfirmed chunk was written only into space the confirmed version left free. (The
 * staging commits of a key-value state restore are the exception, several unconfirmed in a row: should a later
 * one have reused space an earlier one freed, H2 fails to open the confirmed version, and that database, holding
 * derived data only, is rebuilt.)
 *
 * <h2>Durability</h2>
 * The zeros are forced before {@link #discard} returns: a crash after it leaves them in place or, at worst, the
 * chunks, which the next open discards again.
 */
final class UnconfirmedChunks {
    /** H2's block, the unit of its file layout (FileStore.BLOCK_SIZE). */
    static final int BLOCK = 4096;
    /** The length of a chunk footer, at the end of a chunk's last block (Chunk.FOOTER_LENGTH). */
    static final int FOOTER_LENGTH = 128;
    /** Blocks read at once while looking for footers (1 MiB). */
    private static final int WINDOW_BLOCKS = 256;

    private UnconfirmedChunks() {
    }

    /** Zeroes every chunk of {@code file} whose version is above {@code confirmed}; answers how many there were. */
    static int discard(Disk disk, Path file, long confirmed) throws IOException {
        int discarded = 0;
        try (FileChannel ch = disk.open(file, false)) {
            long blocks = ch.size() / BLOCK;
            // Read a window of blocks at a time, not a footer per block: the state database can be gigabytes.
            ByteBuffer window = ByteBuffer.allocate(WINDOW_BLOCKS * BLOCK);
            for (long from = 2; from < blocks; from += WINDOW_BLOCKS) { // blocks 0 and 1 hold the file headers
                window.clear().limit((int) Math.min(WINDOW_BLOCKS, blocks - from) * BLOCK);
                while (window.hasRemaining() && ch.read(window, from * BLOCK + window.position()) > 0) {
                    // a positional read may return fewer bytes than asked
                }
                for (int i = 1; i * BLOCK <= window.position(); i++) {
                    long end = from + i; // the block after the one whose last bytes are read here
                    Map<String, String> m = footer(Arrays.copyOfRange(window.array(), i * BLOCK - FOOTER_LENGTH,
                            i * BLOCK));
                    long first = m == null ? end : end - DataUtils.readHexLong(m, "len", 0);
                    if (m == null || DataUtils.readHexLong(m, "version", 0) <= confirmed || first < 2 || first >= end) {
                        continue;
                    }
                    ch.write(ByteBuffer.allocate(BLOCK), first * BLOCK);
                    ch.write(ByteBuffer.allocate(FOOTER_LENGTH), end * BLOCK - FOOTER_LENGTH);
                    discarded++;
                }
            }
            if (discarded > 0) {
                ch.force(true);
            }
        }
        return discarded;
    }

    /**
     * The fields of a chunk footer ("chunk:…,len:…,version:…,fletcher:…", padded with spaces), or null when
     * {@code bytes} are not one or fail its Fletcher-32 checksum (which covers what precedes ",fletcher:"). As H2
     * does, every byte up to the space counts as padding: a footer whose padding a crash tore (zeros where spaces
     * were) is still one to H2 (NodeStorageCrashTest, seed 1740).
     */
    static Map<String, String> footer(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] & 0xff) <= ' ') {
            end--;
        }
        String s = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
        int at = s.lastIndexOf(",fletcher:");
        if (!s.startsWith("chunk:") || at < 0) {
            return null;
        }
        try {
            int checksum = (int) Long.parseLong(s.substring(at + ",fletcher:".length()), 16);
            if (checksum != DataUtils.getFletcher32(bytes, 0, at)) {
                return null;
            }
            Map<String, String> m = DataUtils.parseMap(s.substring(0, at));
            return m.containsKey("len") && m.containsKey("version") ? m : null;
        } catch (RuntimeException notAFooter) {
            return null;
        }
    }
}
