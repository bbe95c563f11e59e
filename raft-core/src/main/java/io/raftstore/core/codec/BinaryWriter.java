package io.raftstore.core.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;

/** Appends primitives to a growable byte array: varints for numbers, length-prefixed bytes and strings. */
public final class BinaryWriter {
    private byte[] buf;
    private int pos;

    public BinaryWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int extra) {
        if (pos + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
        }
    }

    public BinaryWriter writeByte(int b) {
        ensure(1);
        buf[pos++] = (byte) b;
        return this;
    }

    public BinaryWriter writeBoolean(boolean b) {
        return writeByte(b ? 1 : 0);
    }

    /** Unsigned LEB128; negative values take ten bytes, so prefer {@link #writeSignedVarLong}. */
    public BinaryWriter writeVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
        return this;
    }

    /** Zig-zag encoded, for values that may be negative (such as -1 sentinels). */
    public BinaryWriter writeSignedVarLong(long v) {
        return writeVarLong((v << 1) ^ (v >> 63));
    }

    public BinaryWriter writeBytes(byte[] b) {
        writeVarLong(b.length);
        return writeRaw(b, 0, b.length);
    }

    public BinaryWriter writeRaw(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
        return this;
    }

    /** A nullable UTF-8 string. */
    public BinaryWriter writeString(String s) {
        if (s == null) {
            return writeVarLong(0);
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeVarLong(b.length + 1L);
        return writeRaw(b, 0, b.length);
    }

    public BinaryWriter writeStrings(Collection<String> strings) {
        writeVarLong(strings.size());
        for (String s : strings) {
            writeString(s);
        }
        return this;
    }

    public int size() {
        return pos;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** Puts the bytes written so far into {@code dst}, without a copy in between. */
    public void copyTo(ByteBuffer dst) {
        dst.put(buf, 0, pos);
    }

    /**
     * Empties this writer for reuse, keeping its buffer unless that grew past {@code maxKept} bytes (one
     * large write must not pin a large buffer for the writer's life).
     */
    public BinaryWriter reset(int maxKept) {
        pos = 0;
        if (buf.length > maxKept) {
            buf = new byte[Math.max(16, maxKept)];
        }
        return this;
    }
}
