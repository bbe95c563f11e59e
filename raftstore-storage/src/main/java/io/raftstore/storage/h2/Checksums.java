package io.raftstore.storage.h2;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Seals stored records with a CRC32C prefix. H2 checksums its chunk headers but not every byte of page
 * content, so a flipped bit inside a record would otherwise be read back as valid data; with this it is
 * reported as damage instead.
 */
public final class Checksums {
    private Checksums() {
    }

    public static byte[] seal(byte[] payload) {
        byte[] out = new byte[payload.length + 4];
        ByteBuffer.wrap(out).putInt(crc(payload, 0, payload.length));
        System.arraycopy(payload, 0, out, 4, payload.length);
        return out;
    }

    /**
     * The payload of a sealed record.
     *
     * @throws IllegalStateException with {@code what} when the record is too short or its checksum is wrong
     */
    public static byte[] open(byte[] sealed, String what) {
        if (sealed == null || sealed.length < 4) {
            throw new IllegalStateException(what + " is truncated");
        }
        int expected = ByteBuffer.wrap(sealed).getInt();
        int actual = crc(sealed, 4, sealed.length - 4);
        if (expected != actual) {
            throw new IllegalStateException(what + " fails its checksum");
        }
        return Arrays.copyOfRange(sealed, 4, sealed.length);
    }

    static int crc(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }
}
