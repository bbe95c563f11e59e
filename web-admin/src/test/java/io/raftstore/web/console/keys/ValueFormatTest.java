package io.raftstore.web.console.keys;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ValueFormatTest {

    @Test
    void textOnlyForValidPrintableUtf8() {
        assertEquals("grüße\n", ValueFormat.text("grüße\n".getBytes(StandardCharsets.UTF_8)));
        assertNull(ValueFormat.text(new byte[] {(byte) 0xff, 0x01}));
        assertNull(ValueFormat.text(new byte[] {'a', 0x00, 'b'}));
    }

    @Test
    void hexDumpHasOffsetBytesAndAscii() {
        byte[] v = "0123456789abcdefXY".getBytes(StandardCharsets.US_ASCII);
        String[] lines = ValueFormat.hex(v).split("\n");
        assertEquals(2, lines.length);
        assertEquals("00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|", lines[0]);
        assertEquals("00000010  58 59", lines[1].substring(0, 15));
        assertEquals("|XY|", lines[1].substring(lines[1].indexOf('|')));
    }

    @Test
    void previewIsOneShortLine() {
        assertEquals("a b", ValueFormat.preview("a\n b".getBytes(StandardCharsets.UTF_8), 10));
        assertEquals("abcd…", ValueFormat.preview("abcdefgh".getBytes(StandardCharsets.UTF_8), 5));
        assertEquals("(2 bytes binary)", ValueFormat.preview(new byte[] {0, 1}, 10));
    }
}
