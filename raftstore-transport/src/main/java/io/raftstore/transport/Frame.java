package io.raftstore.transport;

import io.raftstore.core.ConfigChange;
import io.raftstore.core.FailureReason;
import io.raftstore.core.message.RaftMessage;

import java.util.List;
import java.util.Objects;

/** What travels between two nodes: one frame per network message. */
public sealed interface Frame permits Frame.RaftBatch, Frame.ForwardRequest, Frame.ForwardMembership,
        Frame.ForwardResponse {

    /**
     * The node id this frame claims as its sender when that is not {@code sender}: a Raft message's
     * {@code from} or a forwarded request's origin. Null when the frame claims no one else. A receiver drops
     * such a frame, so that an authenticated node cannot speak for another inside an authentic frame.
     */
    static String impersonated(Frame frame, String sender) {
        if (frame instanceof RaftBatch b) {
            for (RaftMessage m : b.messages()) {
                if (!m.from().equals(sender)) {
                    return m.from();
                }
            }
            return null;
        }
        String origin = frame instanceof ForwardRequest r ? r.origin()
                : frame instanceof ForwardMembership m ? m.origin() : sender;
        return origin.equals(sender) ? null : origin;
    }

    /** Raft messages for one destination, sent together (one frame per destination per Ready). */
    record RaftBatch(List<RaftMessage> messages) implements Frame {
        public RaftBatch {
            messages = List.copyOf(messages);
        }
    }

    /**
     * A write that reached a follower, forwarded to the node it believes leads.
     *
     * @param correlationId chosen by {@code origin}; echoed in the response
     * @param clientId      client session, or 0 for none
     */
    record ForwardRequest(long correlationId, String origin, byte[] command, long clientId, long sequence)
            implements Frame {
        public ForwardRequest {
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(command, "command");
        }
    }

    /**
     * A membership change asked of a follower, forwarded to the node it believes leads (only the leader can
     * propose one). Answered by a {@link ForwardResponse} whose result is the new membership's bytes.
     */
    record ForwardMembership(long correlationId, String origin, ConfigChange change) implements Frame {
        public ForwardMembership {
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(change, "change");
        }
    }

    /**
     * The leader's answer to a {@link ForwardRequest} or {@link ForwardMembership}.
     *
     * @param failure  null on success (then {@code result} is the state machine's result)
     * @param leaderId the leader the answering node knows of, or null
     */
    record ForwardResponse(long correlationId, FailureReason failure, byte[] result, String leaderId, String detail)
            implements Frame {
        public ForwardResponse {
            result = result == null ? new byte[0] : result;
            detail = detail == null ? "" : detail;
        }

        public static ForwardResponse ok(long correlationId, byte[] result) {
            return new ForwardResponse(correlationId, null, result, null, "");
        }
    }
}
