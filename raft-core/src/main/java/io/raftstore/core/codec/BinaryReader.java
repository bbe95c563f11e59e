package io.raftstore.core.codec;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/** Reads what {@link BinaryWriter} wrote; every read checks bounds and throws {@link CodecException}. */
public final class BinaryReader {
    /** Upper bound on any single length field, so garbage cannot make us allocate gigabytes. */
    public static final int MAX_LENGTH = 64 * 1024 * 1024;

    private final byte[] buf;
    private final int end;
    private int pos;

    public BinaryReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public BinaryReader(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buf.length) {
            throw new CodecException("bad slice offset=" + offset + " length=" + length);
        }
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    /** An independent reader at the same position, to look ahead without consuming. */
    public BinaryReader copy() {
        return new BinaryReader(buf, pos, end - pos);
    }

    public int remaining() {
        return end - pos;
    }

    private void need(int n, String what) {
        if (n < 0 || end - pos < n) {
            throw new CodecException("truncated input: need " + n + " bytes for " + what + " at offset " + pos
                    + ", have " + (end - pos));
        }
    }

    public int readByte() {
        need(1, "a byte");
        return buf[pos++] & 0xFF;
    }

    public boolean readBoolean() {
        int b = readByte();
        if (b > 1) {
            throw new CodecException("invalid boolean " + b + " at offset " + (pos - 1));
        }
        return b == 1;
    }

    public long readVarLong() {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new CodecException("varint longer than 10 bytes at offset " + pos);
    }

    public long readSignedVarLong() {
        long z = readVarLong();
        return (z >>> 1) ^ -(z & 1);
    }

    /** A non-negative number that must fit an int and the given bound. */
    public int readLength(String what, int max) {
        long n = readVarLong();
        if (n < 0 || n > max) {
            throw new CodecException("invalid length " + n + " for " + what + " (max " + max + ")");
        }
        return (int) n;
    }

    public byte[] readBytes() {
        int n = readLength("bytes", MAX_LENGTH);
        need(n, "a byte array");
        byte[] b = new byte[n];
        System.arraycopy(buf, pos, b, 0, n);
        pos += n;
        return b;
    }

    public String readString() {
        long n = readVarLong();
        if (n == 0) {
            return null;
        }
        if (n < 0 || n - 1 > MAX_LENGTH) {
            throw new CodecException("invalid string length " + (n - 1));
        }
        int len = (int) (n - 1);
        need(len, "a string");
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    public Set<String> readStrings() {
        int n = readLength("string list", 1 << 16);
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            String s = readString();
            if (s == null) {
                throw new CodecException("null element in string list");
            }
            out.add(s);
        }
        return out;
    }

    /** Fails when bytes are left over: trailing garbage means the input is not what we think. */
    public void expectEnd() {
        if (pos != end) {
            throw new CodecException((end - pos) + " unexpected trailing bytes at offset " + pos);
        }
    }
}
