package io.raftstore.storage.wal;

import io.raftstore.core.codec.BinaryWriter;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The write-ahead log's frame format, {@code [int length][int CRC32C][records]}: reading a frame's header back
 * and building new frames, in one buffer reused from frame to frame (a buffer per frame was 6% of a write's
 * garbage, docs/benchmarks.md "Garbage per write"). Not thread-safe: its log builds frames under its lock.
 */
final class WalFrames {
    static final int HEADER = 8;

    /** Frames up to this many bytes of records are built in the kept buffer; larger ones in their own. */
    private final int keptBytes;
    private ByteBuffer buffer;

    WalFrames(int keptBytes) {
        this.keptBytes = keptBytes;
        this.buffer = ByteBuffer.allocate(HEADER + Math.min(keptBytes, 1 << 12));
    }

    /** {@code records} as one frame, ready to write; valid until the next call. */
    ByteBuffer frame(BinaryWriter records) {
        int length = records.size();
        ByteBuffer frame = HEADER + length <= buffer.capacity() ? buffer.clear() : ByteBuffer.allocate(HEADER + length);
        if (frame.capacity() <= HEADER + keptBytes) {
            buffer = frame;
        }
        frame.position(HEADER);
        records.copyTo(frame);
        frame.putInt(0, length).putInt(Integer.BYTES, crc(frame.array(), HEADER, length)).flip();
        return frame;
    }

    /** The payload length of a valid frame at {@code pos}, or -1 when there is none there. */
    static int validLength(byte[] data, int pos) {
        if (pos < 0 || pos + HEADER > data.length) {
            return -1;
        }
        ByteBuffer header = ByteBuffer.wrap(data, pos, HEADER);
        int length = header.getInt();
        int crc = header.getInt();
        if (length <= 0 || length > data.length - pos - HEADER || crc(data, pos + HEADER, length) != crc) {
            return -1;
        }
        return length;
    }

    /** The length the header at {@code pos} states, valid or not; 0 when no header fits there. */
    static int declaredLength(byte[] data, int pos) {
        return pos + HEADER <= data.length ? ByteBuffer.wrap(data, pos, 4).getInt() : 0;
    }

    private static int crc(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }
}
