package io.raftstore.core.codec;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BinaryWriterTest {

    private static final String[] STRINGS = {null, "", "n1", "bench-key-000042", "é", "€uro", "\uD83D\uDE00 smile",
        "ascii then ü"};

    /** Random writes of every kind, the same for the same seed. */
    private static Consumer<BinaryWriter> writes(long seed) {
        return w -> {
            Random r = new Random(seed);
            for (int i = 0, n = r.nextInt(40); i < n; i++) {
                switch (r.nextInt(5)) {
                    case 0 -> w.writeByte(r.nextInt(256));
                    case 1 -> w.writeVarLong(r.nextLong() >>> r.nextInt(64));
                    case 2 -> w.writeSignedVarLong(r.nextLong() >> r.nextInt(64));
                    case 3 -> w.writeString(STRINGS[r.nextInt(STRINGS.length)]);
                    default -> w.writeBytes(new byte[r.nextInt(300)]);
                }
            }
        };
    }

    @Test
    void aCounterCountsWhatTheSameWritesTakeAndTheExactEncodingIsThoseBytes() {
        for (long seed = 0; seed < 500; seed++) {
            BinaryWriter grown = new BinaryWriter(16);
            writes(seed).accept(grown);
            BinaryWriter counter = BinaryWriter.counter();
            writes(seed).accept(counter);
            assertEquals(grown.size(), counter.size(), "seed " + seed);
            assertArrayEquals(grown.toByteArray(), BinaryWriter.encodeExactly(writes(seed)), "seed " + seed);
        }
    }

    @Test
    void varLongsTakeOneBytePerSevenBits() {
        long[] values = {0, 1, 127, 128, 16_383, 16_384, Long.MAX_VALUE, -1, Long.MIN_VALUE};
        for (long v : values) {
            assertEquals(new BinaryWriter(16).writeVarLong(v).size(), BinaryWriter.varLongSize(v), Long.toString(v));
        }
    }

    @Test
    void stringsAreLengthPrefixedUtf8WhetherAsciiOrNot() {
        for (String s : STRINGS) {
            byte[] written = new BinaryWriter(4).writeString(s).toByteArray();
            BinaryWriter expected = new BinaryWriter(4);
            if (s == null) {
                expected.writeVarLong(0);
            } else {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                expected.writeVarLong(utf8.length + 1L).writeRaw(utf8, 0, utf8.length);
            }
            assertArrayEquals(expected.toByteArray(), written, s);
            assertEquals(s, new BinaryReader(written).readString());
        }
    }

    @Test
    void writesThatDifferBetweenTheirTwoRunsAreRefusedAndACounterHoldsNoBytes() {
        int[] runs = {0};
        assertThrows(IllegalStateException.class, () -> BinaryWriter.encodeExactly(w -> {
            if (runs[0]++ == 1) {
                w.writeByte(1);
            }
        }));
        int[] second = {0};
        assertThrows(IllegalStateException.class, () -> BinaryWriter.encodeExactly(w -> {
            if (second[0]++ == 0) {
                w.writeByte(1); // counted, then not written
            }
        }));
        assertThrows(IllegalStateException.class, () -> BinaryWriter.counter().writeByte(1).toByteArray());
    }
}
