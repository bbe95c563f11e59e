package io.raftstore.resp.protocol;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RespDecoderTest {

    private static final DecoderLimits LIMITS = new DecoderLimits(16, 8, 64);

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Every command the bytes hold, fed in chunks cut at the given offsets. */
    private static List<String> decode(RespDecoder decoder, String text, int... cuts) throws RespProtocolException {
        List<String> commands = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : text.length();
            ByteBuffer chunk = bytes(text.substring(from, to));
            for (List<byte[]> command = decoder.next(chunk); command != null; command = decoder.next(chunk)) {
                commands.add(render(command));
            }
            assertEquals(0, chunk.remaining(), "a decoder keeps what it needs and leaves nothing unread");
            from = to;
        }
        return commands;
    }

    private static String render(List<byte[]> command) {
        List<String> args = new ArrayList<>();
        command.forEach(a -> args.add(new String(a, StandardCharsets.ISO_8859_1)));
        return args.toString();
    }

    @Test
    void anArrayOfBulkStrings() throws RespProtocolException {
        assertEquals(List.of("[SET, k, a\r\nb]"), decode(new RespDecoder(LIMITS), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\na\r\nb\r\n"));
        assertEquals(List.of("[GET, ]"), decode(new RespDecoder(LIMITS), "*2\r\n$3\r\nGET\r\n$0\r\n\r\n"));
    }

    @Test
    void aFrameSplitAtEveryByteBoundary() throws RespProtocolException {
        String frame = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\nGET \"a b\"\r\n";
        for (int cut = 0; cut <= frame.length(); cut++) {
            assertEquals(List.of("[SET, key, value]", "[GET, a b]"), decode(new RespDecoder(LIMITS), frame, cut), "cut at " + cut);
        }
        int[] everyByte = new int[frame.length()];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i;
        }
        assertEquals(List.of("[SET, key, value]", "[GET, a b]"), decode(new RespDecoder(LIMITS), frame, everyByte));
    }

    @Test
    void pipelinedCommandsComeOutInOrder() throws RespProtocolException {
        StringBuilder stream = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            stream.append("*2\r\n$4\r\nINCR\r\n$").append(Integer.toString(i).length()).append("\r\n").append(i).append("\r\n");
            expected.add("[INCR, " + i + "]");
        }
        RespDecoder decoder = new RespDecoder(LIMITS);
        ByteBuffer in = bytes(stream.toString());
        List<String> got = new ArrayList<>();
        for (List<byte[]> command = decoder.next(in); command != null; command = decoder.next(in)) {
            got.add(render(command));
        }
        assertEquals(expected, got);
        assertEquals(stream.length(), decoder.position());
    }

    @Test
    void inlineCommands() throws RespProtocolException {
        assertEquals(List.of("[PING]", "[SET, k, a b, c\"d, e'f]", "[GET, \n\u00ff]"),
                decode(new RespDecoder(LIMITS), "PING\n\r\n   \r\nSET k \"a b\" 'c\"d' 'e\\'f'\r\nGET \"\\n\\xff\"\r\n"));
        assertEquals(List.of(), decode(new RespDecoder(LIMITS), "*0\r\n*-1\r\n"), "empty arrays are no commands");
    }

    @Test
    void malformedFramesSayWhatAndWhere() {
        assertProtocolError("*2\r\n:3\r\n", "Protocol error: expected '$', got ':' at byte 4");
        assertProtocolError("*x\r\n", "Protocol error: invalid multibulk length 'x' at byte 1");
        assertProtocolError("*1\r\n$2\r\nabc\r\n", "Protocol error: expected CRLF after a bulk string of 2 bytes, got 'c' at byte 10");
        assertProtocolError("*1\n", "Protocol error: expected CRLF, got a bare LF at byte 2");
        assertProtocolError("*1\r\n$-3\r\n", "Protocol error: invalid bulk length -3 (0 to 16 bytes) at byte 4");
        assertProtocolError("GET \"a\r\n", "Protocol error: unbalanced quotes in request at byte 4");
        assertProtocolError("GET \"a\"b\r\n", "Protocol error: a closing quote must be followed by a space at byte 7");
    }

    @Test
    void oversizeFramesAreRefusedBeforeTheyAreBuffered() {
        assertProtocolError("*1\r\n$17\r\n", "Protocol error: invalid bulk length 17 (0 to 16 bytes) at byte 4");
        assertProtocolError("*9\r\n", "Protocol error: invalid multibulk length 9 (at most 8 arguments) at byte 0");
        assertProtocolError("GET " + "k".repeat(61), "Protocol error: too big inline request (over 64 bytes) at byte 64");
        assertProtocolError("*1" + "1".repeat(40), "Protocol error: too long a header (over 32 bytes) at byte 33");
    }

    @Test
    void aFailedDecoderStaysFailed() {
        RespDecoder decoder = new RespDecoder(LIMITS);
        RespProtocolException first = assertThrows(RespProtocolException.class, () -> decoder.next(bytes("*z\r\n")));
        assertSame(first, assertThrows(RespProtocolException.class, () -> decoder.next(bytes("PING\r\n"))));
        assertEquals("ERR Protocol error: invalid multibulk length 'z' at byte 1", ((Reply.Error) first.reply()).text());
    }

    @Test
    void anIncompleteCommandWaits() throws RespProtocolException {
        RespDecoder decoder = new RespDecoder(LIMITS);
        assertNull(decoder.next(bytes("*1\r\n$4\r\nPI")));
        assertEquals("[PING]", render(decoder.next(bytes("NG\r\n"))));
    }

    private static void assertProtocolError(String text, String message) {
        RespProtocolException e = assertThrows(RespProtocolException.class, () -> decode(new RespDecoder(LIMITS), text));
        assertEquals(message, e.getMessage());
    }
}
