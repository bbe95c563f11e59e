package io.raftstore.kv;

import io.raftstore.core.codec.BinaryReader;
import io.raftstore.core.codec.CodecException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Length-prefixed records on a stream (a varint length, then that many bytes), so a snapshot is written
 * and read one record at a time instead of as one large array.
 */
final class FrameStream {
    private FrameStream() {
    }

    static void write(OutputStream out, byte[] frame) {
        try {
            long v = frame.length;
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
            out.write(frame);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write snapshot record", e);
        }
    }

    /** The next record, or null at a clean end of stream. */
    static byte[] read(InputStream in) {
        try {
            long length = 0;
            for (int shift = 0; ; shift += 7) {
                int b = in.read();
                if (b < 0) {
                    if (shift == 0) {
                        return null;
                    }
                    throw new CodecException("snapshot ends inside a record length");
                }
                if (shift > 28) {
                    throw new CodecException("snapshot record length is too long");
                }
                length |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            if (length > BinaryReader.MAX_LENGTH) {
                throw new CodecException("snapshot record of " + length + " bytes exceeds the maximum");
            }
            byte[] frame = in.readNBytes((int) length);
            if (frame.length != length) {
                throw new EOFException("snapshot ends inside a record: " + frame.length + " of " + length + " bytes");
            }
            return frame;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshot record", e);
        }
    }
}
