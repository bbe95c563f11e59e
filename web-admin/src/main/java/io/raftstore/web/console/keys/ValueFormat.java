package io.raftstore.web.console.keys;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Shows a value's bytes to a person: as UTF-8 text when they are text, and always as a hex dump. */
public final class ValueFormat {

    private static final int BYTES_PER_LINE = 16;

    private ValueFormat() {
    }

    /** The value as text, or null when the bytes are not valid UTF-8 or hold control characters. */
    public static String text(byte[] value) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                return null;
            }
        }
        return s;
    }

    /** Offset, sixteen bytes in hex and their printable ASCII, one line per sixteen bytes. */
    public static String hex(byte[] value) {
        StringBuilder out = new StringBuilder();
        for (int line = 0; line < value.length; line += BYTES_PER_LINE) {
            out.append(String.format("%08x  ", line));
            StringBuilder ascii = new StringBuilder();
            for (int i = line; i < line + BYTES_PER_LINE; i++) {
                if (i < value.length) {
                    int b = value[i] & 0xff;
                    out.append(String.format("%02x ", b));
                    ascii.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
                } else {
                    out.append("   ");
                }
                if (i == line + 7) {
                    out.append(' ');
                }
            }
            out.append(" |").append(ascii).append("|\n");
        }
        return out.toString();
    }

    /** A short one-line preview for the table. */
    public static String preview(byte[] value, int max) {
        String t = text(value);
        if (t == null) {
            return "(" + value.length + " bytes binary)";
        }
        String oneLine = t.replaceAll("\\s+", " ");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
    }
}
