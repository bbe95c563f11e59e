package io.raftstore.transport;

import io.raftstore.core.ConfigChange;
import io.raftstore.core.FailureReason;
import io.raftstore.core.codec.CodecException;
import io.raftstore.core.message.RequestVote;
import io.raftstore.core.message.TimeoutNow;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrameCodecTest {

    private static Frame roundTrip(Frame f) {
        byte[] bytes = FrameCodec.encode(f);
        byte[] padded = new byte[bytes.length + 3];
        System.arraycopy(bytes, 0, padded, 2, bytes.length);
        return FrameCodec.decode(padded, 2, bytes.length);
    }

    @Test
    void raftBatchKeepsMessagesInOrder() {
        var batch = new Frame.RaftBatch(List.of(new RequestVote("n1", "n2", 7, 10, 6, true, false),
                new TimeoutNow("n1", "n2", 7)));
        assertEquals(batch, roundTrip(batch));
    }

    @Test
    void forwardRequestAndResponsesSurvive() {
        var req = (Frame.ForwardRequest) roundTrip(new Frame.ForwardRequest(42, "n3", new byte[]{1, 2, 3}, 9, 11));
        assertEquals(42, req.correlationId());
        assertEquals("n3", req.origin());
        assertArrayEquals(new byte[]{1, 2, 3}, req.command());
        assertEquals(9, req.clientId());
        assertEquals(11, req.sequence());

        var ok = (Frame.ForwardResponse) roundTrip(Frame.ForwardResponse.ok(5, new byte[]{9}));
        assertNull(ok.failure());
        assertNull(ok.leaderId());
        assertArrayEquals(new byte[]{9}, ok.result());

        var failed = (Frame.ForwardResponse) roundTrip(
                new Frame.ForwardResponse(6, FailureReason.NOT_LEADER, null, "n2", "moved"));
        assertEquals(FailureReason.NOT_LEADER, failed.failure());
        assertEquals("n2", failed.leaderId());
        assertEquals("moved", failed.detail());
    }

    @Test
    void forwardedMembershipChangesSurviveWithAndWithoutAddress() {
        var add = new Frame.ForwardMembership(7, "n2",
                new ConfigChange(ConfigChange.Type.ADD_LEARNER, "n4", "127.0.0.1:17804 http://127.0.0.1:9084"));
        assertEquals(add, roundTrip(add));
        var remove = new Frame.ForwardMembership(8, "n3", new ConfigChange(ConfigChange.Type.REMOVE_MEMBER, "n1"));
        assertEquals(remove, roundTrip(remove));
        byte[] bytes = FrameCodec.encode(remove);
        bytes[bytes.length - 5] = 42; // the change type: no such kind
        assertThrows(CodecException.class, () -> FrameCodec.decode(bytes, 0, bytes.length));
    }

    @Test
    void garbageIsRejected() {
        assertThrows(CodecException.class, () -> FrameCodec.decode(new byte[]{99, 1}, 0, 2));
        assertThrows(CodecException.class, () -> FrameCodec.decode(new byte[0], 0, 0));
        byte[] truncated = FrameCodec.encode(new Frame.ForwardRequest(1, "n1", new byte[10], 0, 0));
        assertThrows(CodecException.class, () -> FrameCodec.decode(truncated, 0, truncated.length - 4));
    }
}
