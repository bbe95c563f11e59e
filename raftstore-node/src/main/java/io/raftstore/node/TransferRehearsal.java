package io.raftstore.node;

import io.raftstore.core.FailureReason;
import io.raftstore.core.Rehearsal;
import io.raftstore.core.message.RequestVote;
import io.raftstore.core.message.RequestVoteResponse;
import io.raftstore.core.message.TimeoutNow;
import io.raftstore.transport.Frame;
import io.raftstore.transport.FrameCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the code of a leadership transfer once before a node may need it: the engine's (in a private in-memory
 * cluster, see {@link Rehearsal}) and the frames a transfer sends. A node hands over once in its life, when
 * it stops, so its transfer otherwise ran cold (classes loaded, lambdas linked, methods interpreted for the
 * first time) and took 30-60 ms instead of about 5 (docs/benchmarks.md).
 */
final class TransferRehearsal {
    private static final Logger LOG = Logger.getLogger(TransferRehearsal.class.getName());

    private TransferRehearsal() {
    }

    /** Rehearses; a failure is a bug in the rehearsal, never a reason not to start, so it is only logged. */
    static void rehearse(String nodeId) {
        try {
            Rehearsal.leadershipTransfer();
            rehearseFrames();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "node " + nodeId + ": rehearsing a leadership transfer failed", e);
        }
    }

    /** The frames of a transfer: TimeoutNow, the vote, a write refused meanwhile, and one that succeeds. */
    static List<Frame> frames() {
        return List.of(
                new Frame.RaftBatch(List.of(new TimeoutNow("r1", "r2", 1))),
                new Frame.RaftBatch(List.of(new RequestVote("r2", "r1", 2, 1, 1, false, true))),
                new Frame.RaftBatch(List.of(new RequestVoteResponse("r1", "r2", 2, true, false))),
                new Frame.ForwardRequest(1, "r3", new byte[] {7}, 0, 0),
                new Frame.ForwardResponse(1, FailureReason.TRANSFER_IN_PROGRESS, null, "r1", "transfer"),
                Frame.ForwardResponse.ok(1, new byte[] {9}));
    }

    /** Encodes and decodes {@link #frames()}; returns what came out of the decoder, in order. */
    static List<Frame> rehearseFrames() {
        List<Frame> decoded = new ArrayList<>();
        for (Frame f : frames()) {
            byte[] bytes = FrameCodec.encode(f);
            decoded.add(FrameCodec.decode(bytes, 0, bytes.length));
        }
        return decoded;
    }
}
