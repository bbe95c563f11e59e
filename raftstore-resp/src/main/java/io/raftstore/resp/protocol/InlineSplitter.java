package io.raftstore.resp.protocol;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inline command line into arguments as redis-cli and Redis do: blanks separate arguments; double
 * quotes allow blanks and the escapes \n \r \t \b \a \\ \" and \xHH; single quotes allow blanks and \'.
 * A closing quote must be followed by a blank or the end of the line.
 */
final class InlineSplitter {

    private InlineSplitter() {
    }

    /**
     * @param start the line's offset in the connection, for error positions
     * @return the arguments; empty for a blank line
     */
    static List<byte[]> split(byte[] line, int length, long start) throws RespProtocolException {
        List<byte[]> args = new ArrayList<>();
        int i = 0;
        while (true) {
            while (i < length && isBlank(line[i])) {
                i++;
            }
            if (i == length) {
                return args;
            }
            ByteArrayOutputStream arg = new ByteArrayOutputStream();
            byte quote = line[i] == '"' || line[i] == '\'' ? line[i] : 0;
            if (quote != 0) {
                int open = i;
                i = quoted(line, length, i + 1, quote, arg);
                if (i < 0) {
                    throw new RespProtocolException("unbalanced quotes in request", start + open);
                }
                if (i < length && !isBlank(line[i])) {
                    throw new RespProtocolException("a closing quote must be followed by a space", start + i);
                }
            } else {
                while (i < length && !isBlank(line[i])) {
                    arg.write(line[i++]);
                }
            }
            args.add(arg.toByteArray());
        }
    }

    /** Reads a quoted argument from just after its opening quote; returns the index after the closing quote, or -1. */
    private static int quoted(byte[] line, int length, int from, byte quote, ByteArrayOutputStream arg) {
        int i = from;
        while (i < length) {
            byte b = line[i];
            if (b == quote) {
                return i + 1;
            }
            if (b == '\\' && i + 1 < length) {
                if (quote == '\'') {
                    if (line[i + 1] == '\'') {
                        arg.write('\'');
                        i += 2;
                        continue;
                    }
                } else if (line[i + 1] == 'x' && i + 3 < length && hex(line[i + 2]) >= 0 && hex(line[i + 3]) >= 0) {
                    arg.write(hex(line[i + 2]) * 16 + hex(line[i + 3]));
                    i += 4;
                    continue;
                } else {
                    arg.write(unescape(line[i + 1]));
                    i += 2;
                    continue;
                }
            }
            arg.write(b);
            i++;
        }
        return -1;
    }

    private static int unescape(byte b) {
        return switch (b) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'a' -> 7;
            default -> b;
        };
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0;
    }
}
