package io.raftstore.node;

import io.raftstore.transport.Frame;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a node runs at start so that its first leadership transfer does not run cold code. */
class TransferRehearsalTest {

    @Test
    void theFramesOfATransferComeOutOfTheDecoderAsTheyWentIn() throws Exception {
        // A failure at start is only logged, and the first real transfer would then run cold again.
        List<Frame> decoded = TransferRehearsal.rehearseFrames();
        List<Frame> original = TransferRehearsal.frames();
        assertEquals(original.size(), decoded.size());
        for (int i = 0; i < original.size(); i++) {
            assertSameFrame(original.get(i), decoded.get(i));
        }
    }

    /** Field by field; byte arrays by content (a record's equals compares them by identity). */
    private static void assertSameFrame(Frame expected, Frame actual) throws Exception {
        assertEquals(expected.getClass(), actual.getClass());
        for (RecordComponent c : expected.getClass().getRecordComponents()) {
            Object want = c.getAccessor().invoke(expected);
            Object got = c.getAccessor().invoke(actual);
            String what = expected.getClass().getSimpleName() + "." + c.getName();
            if (want instanceof byte[] bytes) {
                assertArrayEquals(bytes, (byte[]) got, what);
            } else {
                assertEquals(want, got, what);
            }
        }
    }
}
