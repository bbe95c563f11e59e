package io.raftstore.resp.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A reply to one command, independent of the protocol version: {@link ReplyEncoder} writes RESP3's own
 * types (null, map, boolean) as their RESP2 equivalents for a RESP2 connection.
 */
public sealed interface Reply {

    Reply OK = new Simple("OK");
    Reply QUEUED = new Simple("QUEUED");
    Reply NULL = new Null();
    Reply NULL_ARRAY = new NullArray();

    static Reply bulk(String text) {
        return new Bulk(text.getBytes(StandardCharsets.UTF_8));
    }

    static Reply bulkOrNull(byte[] value) {
        return value == null ? NULL : new Bulk(value);
    }

    static Reply error(String text) {
        return new Error(text);
    }

    /** A status line such as OK or PONG: no CR or LF. */
    record Simple(String text) implements Reply {
    }

    /** An error line; its first word is the error code (ERR, NOAUTH, MOVED...). CR and LF are sent as spaces. */
    record Error(String text) implements Reply {
    }

    record Integer(long value) implements Reply {
    }

    record Bulk(byte[] value) implements Reply {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bulk b && Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Bulk[" + new String(value, StandardCharsets.UTF_8) + "]";
        }
    }

    /** No value: RESP2's null bulk string, RESP3's null. */
    record Null() implements Reply {
    }

    /** RESP2's null array (EXEC of a transaction a WATCHed key aborted), RESP3's null. */
    record NullArray() implements Reply {
    }

    record Array(List<Reply> items) implements Reply {
        public Array {
            items = List.copyOf(items);
        }
    }

    /** Pairs of key and value, in order: a RESP3 map, a flat array of 2n items in RESP2. */
    record Map(List<Reply> keysAndValues) implements Reply {
        public Map {
            if (keysAndValues.size() % 2 != 0) {
                throw new IllegalArgumentException("a map needs pairs, got " + keysAndValues.size() + " items");
            }
            keysAndValues = List.copyOf(keysAndValues);
        }
    }

    /** RESP3's boolean; the integer 1 or 0 in RESP2. */
    record Bool(boolean value) implements Reply {
    }
}
