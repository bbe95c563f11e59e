package io.raftstore.core.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * Appends primitives to a growable byte array: varints for numbers, length-prefixed bytes and strings.
 *
 * <p>An encoding that is sent or stored as its own array is written twice ({@link #encodeExactly}): first to a
 * counter, which only adds up the size, then into an array of exactly that size, which is handed over as it is.
 * A first guess at the size, grown and then copied to the exact length, was the largest source of a write's
 * garbage (docs/benchmarks.md, "Garbage per write").
 */
public final class BinaryWriter {
    /** Null for a counter, which writes nothing. */
    private byte[] buf;
    private int pos;

    public BinaryWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private BinaryWriter(byte[] buf) {
        this.buf = buf;
    }

    /** A writer that stores nothing and only counts: its {@link #size()} is what the same writes would take. */
    static BinaryWriter counter() {
        return new BinaryWriter((byte[]) null);
    }

    /**
     * What {@code writes} write, in an array of exactly their size: they run twice, on a {@link #counter()} and
     * then on a writer of that size, whose array is returned as it is, so they must write the same each time.
     */
    public static byte[] encodeExactly(Consumer<BinaryWriter> writes) {
        BinaryWriter size = counter();
        writes.accept(size);
        int counted = size.size();
        byte[] out = new byte[counted];
        BinaryWriter w = new BinaryWriter(out);
        writes.accept(w);
        if (w.pos != counted || w.buf != out) { // fewer bytes, or more (the writer grew a new array)
            throw new IllegalStateException("the writes took " + w.pos + " bytes, counted " + counted);
        }
        return out;
    }

    private void ensure(int extra) {
        if (buf != null && pos + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
        }
    }

    public BinaryWriter writeByte(int b) {
        ensure(1);
        if (buf != null) {
            buf[pos] = (byte) b;
        }
        pos++;
        return this;
    }

    public BinaryWriter writeBoolean(boolean b) {
        return writeByte(b ? 1 : 0);
    }

    /** Unsigned LEB128; negative values take ten bytes, so prefer {@link #writeSignedVarLong}. */
    public BinaryWriter writeVarLong(long v) {
        if (buf == null) {
            pos += varLongSize(v);
            return this;
        }
        if (pos + 10 > buf.length) {
            ensure(varLongSize(v)); // not ten: an exactly sized writer's last number may need fewer
        }
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
        return this;
    }

    /** The bytes {@link #writeVarLong} takes for {@code v}: one per seven bits, at least one. */
    static int varLongSize(long v) {
        return Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 6) / 7);
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
        if (buf != null) {
            System.arraycopy(b, off, buf, pos, len);
        }
        pos += len;
        return this;
    }

    /** A nullable UTF-8 string; one of ASCII only (keys and node ids, almost always) without an array in between. */
    public BinaryWriter writeString(String s) {
        if (s == null) {
            return writeVarLong(0);
        }
        int n = s.length();
        if (!isAscii(s)) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            writeVarLong(b.length + 1L);
            return writeRaw(b, 0, b.length);
        }
        writeVarLong(n + 1L);
        ensure(n);
        if (buf != null) {
            for (int i = 0; i < n; i++) {
                buf[pos + i] = (byte) s.charAt(i);
            }
        }
        pos += n;
        return this;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
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

    /** A copy of the bytes written so far; the writer stays usable. */
    public byte[] toByteArray() {
        requireBuffer();
        return Arrays.copyOf(buf, pos);
    }

    /** Puts the bytes written so far into {@code dst}, without a copy in between. */
    public void copyTo(ByteBuffer dst) {
        requireBuffer();
        dst.put(buf, 0, pos);
    }

    private void requireBuffer() {
        if (buf == null) {
            throw new IllegalStateException("a counter holds no bytes, only their number");
        }
    }

    /**
     * Empties this writer for reuse, keeping its buffer unless that grew past {@code maxKept} bytes (one
     * large write must not pin a large buffer for the writer's life).
     */
    public BinaryWriter reset(int maxKept) {
        pos = 0;
        if (buf != null && buf.length > maxKept) {
            buf = new byte[Math.max(16, maxKept)];
        }
        return this;
    }
}
