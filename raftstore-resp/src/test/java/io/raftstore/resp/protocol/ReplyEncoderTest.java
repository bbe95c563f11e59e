package io.raftstore.resp.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReplyEncoderTest {

    private static String resp(Reply reply, int protocol) {
        return new String(ReplyEncoder.encode(reply, protocol), StandardCharsets.UTF_8);
    }

    @Test
    void resp2() {
        assertEquals("+OK\r\n", resp(Reply.OK, 2));
        assertEquals("-ERR a b\r\n", resp(Reply.error("ERR a\r\nb".replace("\r\n", "\n")), 2), "no line break inside an error");
        assertEquals(":-7\r\n", resp(new Reply.Integer(-7), 2));
        assertEquals("$3\r\né\n\r\n", resp(Reply.bulk("é\n"), 2));
        assertEquals("$-1\r\n", resp(Reply.NULL, 2));
        assertEquals("*-1\r\n", resp(Reply.NULL_ARRAY, 2));
        assertEquals("*2\r\n:1\r\n$-1\r\n", resp(new Reply.Array(List.of(new Reply.Integer(1), Reply.NULL)), 2));
        assertEquals("*2\r\n$1\r\nk\r\n:1\r\n", resp(new Reply.Map(List.of(Reply.bulk("k"), new Reply.Integer(1))), 2));
        assertEquals(":1\r\n", resp(new Reply.Bool(true), 2));
    }

    @Test
    void resp3() {
        assertEquals("_\r\n", resp(Reply.NULL, 3));
        assertEquals("_\r\n", resp(Reply.NULL_ARRAY, 3));
        assertEquals("%1\r\n$1\r\nk\r\n#f\r\n", resp(new Reply.Map(List.of(Reply.bulk("k"), new Reply.Bool(false))), 3));
        assertEquals("#t\r\n", resp(new Reply.Bool(true), 3));
    }
}
