package io.raftstore.resp.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the bytes of one connection into commands, as they arrive: a command may be split over any number of
 * reads, and one read may hold many (pipelined) commands. Commands come as clients send them, an array of
 * bulk strings ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}), or as an inline line ({@code GET k\r\n}).
 *
 * <p>Not thread-safe: one decoder per connection, fed by the thread that reads it. After a
 * {@link RespProtocolException} the decoder is spent: close the connection.
 */
public final class RespDecoder {

    /** "*" or "$" headers: a sign, ten digits and CRLF fit with room to spare. */
    private static final int MAX_HEADER_BYTES = 32;

    private enum State { IDLE, ARRAY_HEADER, BULK_START, BULK_HEADER, BULK_BODY, BULK_END, INLINE, FAILED }

    private final DecoderLimits limits;
    private State state = State.IDLE;
    private long position;
    private byte[] line = new byte[64];
    private int lineLength;
    private long lineStart;
    private int expectedArgs;
    private List<byte[]> args;
    private byte[] bulk;
    private int bulkFilled;
    private RespProtocolException failure;

    public RespDecoder(DecoderLimits limits) {
        this.limits = limits;
    }

    /** How many bytes this decoder has consumed since the connection opened. */
    public long position() {
        return position;
    }

    /**
     * Consumes bytes from {@code in} up to the end of the next complete command and returns its arguments
     * (never empty; the first is the command name), or returns null when {@code in} ran out first; the bytes
     * consumed so far are kept, so call again with the next bytes. Bytes after a complete command stay in
     * {@code in} for the next call.
     *
     * @throws RespProtocolException for a malformed command or one beyond the limits
     */
    public List<byte[]> next(ByteBuffer in) throws RespProtocolException {
        if (state == State.FAILED) {
            throw failure;
        }
        try {
            return decode(in);
        } catch (RespProtocolException e) {
            state = State.FAILED;
            failure = e;
            throw e;
        }
    }

    private List<byte[]> decode(ByteBuffer in) throws RespProtocolException {
        while (in.hasRemaining()) {
            switch (state) {
                case IDLE -> start(in);
                case ARRAY_HEADER -> {
                    if (readLine(in, MAX_HEADER_BYTES)) {
                        arrayHeader();
                    }
                }
                case BULK_START -> {
                    byte b = in.get();
                    if (b != '$') {
                        throw new RespProtocolException("expected '$', got " + describe(b), position);
                    }
                    startLine();
                    position++;
                    state = State.BULK_HEADER;
                }
                case BULK_HEADER -> {
                    if (readLine(in, MAX_HEADER_BYTES)) {
                        bulkHeader();
                    }
                }
                case BULK_BODY -> readBulk(in);
                case BULK_END -> {
                    if (readBulkEnd(in)) {
                        args.add(bulk);
                        bulk = null;
                        if (args.size() == expectedArgs) {
                            return finish();
                        }
                        state = State.BULK_START;
                    }
                }
                case INLINE -> {
                    if (readLine(in, limits.maxInlineBytes())) {
                        List<byte[]> inline = InlineSplitter.split(line, lineLength, lineStart);
                        state = State.IDLE;
                        if (!inline.isEmpty()) {
                            return inline;
                        }
                    }
                }
                default -> throw new IllegalStateException("decoder in state " + state);
            }
        }
        return null;
    }

    private void start(ByteBuffer in) {
        startLine();
        if (in.get(in.position()) == '*') {
            in.get();
            position++;
            state = State.ARRAY_HEADER;
        } else {
            state = State.INLINE;
        }
    }

    private List<byte[]> finish() {
        List<byte[]> done = args;
        args = null;
        state = State.IDLE;
        return done;
    }

    private void startLine() {
        lineLength = 0;
        lineStart = position;
    }

    /**
     * Reads up to and including '\n'; true when the line is complete. The line is kept without its "\n" and
     * without a "\r" before it (inline lines may end with a bare "\n", as netcat sends them).
     */
    private boolean readLine(ByteBuffer in, int max) throws RespProtocolException {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n') {
                position++;
                if (lineLength > 0 && line[lineLength - 1] == '\r') {
                    lineLength--;
                } else if (state != State.INLINE) {
                    throw new RespProtocolException("expected CRLF, got a bare LF", position - 1);
                }
                return true;
            }
            if (lineLength >= max) {
                throw new RespProtocolException(
                        (state == State.INLINE ? "too big inline request (over " : "too long a header (over ")
                                + max + " bytes)", position);
            }
            if (lineLength == line.length) {
                line = Arrays.copyOf(line, Math.min(max + 1, line.length * 2));
            }
            line[lineLength++] = b;
            position++;
        }
        return false;
    }

    private void arrayHeader() throws RespProtocolException {
        long count = number("multibulk length");
        if (count > limits.maxArrayLength()) {
            throw new RespProtocolException("invalid multibulk length " + count + " (at most "
                    + limits.maxArrayLength() + " arguments)", lineStart);
        }
        if (count <= 0) {
            // As Redis does: an empty (or null) array is no command at all.
            state = State.IDLE;
            return;
        }
        expectedArgs = (int) count;
        args = new ArrayList<>(expectedArgs);
        state = State.BULK_START;
    }

    private void bulkHeader() throws RespProtocolException {
        long length = number("bulk length");
        if (length < 0 || length > limits.maxBulkBytes()) {
            throw new RespProtocolException("invalid bulk length " + length + " (0 to " + limits.maxBulkBytes()
                    + " bytes)", lineStart);
        }
        bulk = new byte[(int) length];
        bulkFilled = 0;
        state = length == 0 ? State.BULK_END : State.BULK_BODY;
        lineLength = 0;
    }

    private void readBulk(ByteBuffer in) {
        int n = Math.min(in.remaining(), bulk.length - bulkFilled);
        in.get(bulk, bulkFilled, n);
        bulkFilled += n;
        position += n;
        if (bulkFilled == bulk.length) {
            lineLength = 0;
            state = State.BULK_END;
        }
    }

    /** The CRLF after a bulk's bytes; {@code lineLength} counts how much of it arrived. */
    private boolean readBulkEnd(ByteBuffer in) throws RespProtocolException {
        while (in.hasRemaining() && lineLength < 2) {
            byte b = in.get();
            byte expected = lineLength == 0 ? (byte) '\r' : (byte) '\n';
            if (b != expected) {
                throw new RespProtocolException("expected CRLF after a bulk string of " + bulk.length
                        + " bytes, got " + describe(b), position);
            }
            lineLength++;
            position++;
        }
        return lineLength == 2;
    }

    private long number(String what) throws RespProtocolException {
        if (lineLength == 0) {
            throw new RespProtocolException("empty " + what, lineStart);
        }
        boolean negative = line[0] == '-';
        long value = 0;
        for (int i = negative ? 1 : 0; i < lineLength; i++) {
            byte b = line[i];
            if (b < '0' || b > '9' || value > (Long.MAX_VALUE - 9) / 10) {
                throw new RespProtocolException("invalid " + what + " '"
                        + new String(line, 0, lineLength, StandardCharsets.ISO_8859_1) + "'", lineStart + 1 + i);
            }
            value = value * 10 + (b - '0');
        }
        if (negative && lineLength == 1) {
            throw new RespProtocolException("invalid " + what + " '-'", lineStart + 1);
        }
        return negative ? -value : value;
    }

    static String describe(byte b) {
        int unsigned = b & 0xff;
        return unsigned >= 0x20 && unsigned < 0x7f ? "'" + (char) unsigned + "'" : String.format("byte 0x%02x", unsigned);
    }
}
