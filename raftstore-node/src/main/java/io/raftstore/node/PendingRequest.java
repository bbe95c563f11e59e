package io.raftstore.node;

import io.raftstore.core.ConfigChange;
import io.raftstore.core.FailureReason;
import io.raftstore.core.ReadConsistency;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** A local request waiting in the event loop. Only the loop thread touches its mutable fields. */
abstract sealed class PendingRequest permits PendingRequest.Write, PendingRequest.Read {

    /** System.nanoTime() after which the request fails as unavailable. */
    final long deadlineNanos;

    PendingRequest(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    abstract void fail(RequestFailedException e);

    final void fail(FailureReason reason, String leaderId, String message) {
        fail(new RequestFailedException(reason, leaderId, message));
    }

    /**
     * A command to replicate, or a membership change when {@code change} is set; {@code origin} is non-null
     * when a follower forwarded it to this node.
     */
    static final class Write extends PendingRequest {
        final byte[] command;
        final ConfigChange change;
        final long clientId;
        final long sequence;
        final CompletableFuture<byte[]> future = new CompletableFuture<>();
        final String origin;
        /** Term of the proposal once appended by this node as leader. */
        long term;
        /** The node this write was forwarded to, while it waits for its answer. */
        String forwardedTo;
        /** When another node became leader meanwhile: the old one's answer is awaited until then (0: not set). */
        long answerByNanos;
        /** An earlier attempt went to a leader that was replaced or lost before it answered; see {@link #fail}. */
        private boolean earlierAttemptUnanswered;

        Write(byte[] command, long clientId, long sequence, String origin, long deadlineNanos) {
            this(command, null, clientId, sequence, origin, deadlineNanos);
        }

        /** A membership change; it completes with the new membership's bytes once committed. */
        Write(ConfigChange change, String origin, long deadlineNanos) {
            this(new byte[0], change, 0, 0, origin, deadlineNanos);
        }

        private Write(byte[] command, ConfigChange change, long clientId, long sequence, String origin,
                      long deadlineNanos) {
            super(deadlineNanos);
            this.command = command;
            this.change = change;
            this.clientId = clientId;
            this.sequence = sequence;
            this.origin = origin;
        }

        boolean forwardedHere() {
            return origin != null;
        }

        /** Stops waiting for the leader it was forwarded to, which may have applied it without answering. */
        void forwardingUnanswered() {
            forwardedTo = null;
            earlierAttemptUnanswered = true;
        }

        /** It may have been applied: a leader or this node has it now, or had it without a definite answer. */
        boolean mayHaveBeenWritten() {
            return forwardedTo != null || term != 0 || earlierAttemptUnanswered;
        }

        /**
         * A failure that says nothing was written speaks only of the last attempt: after an unanswered one it
         * becomes OUTCOME_UNKNOWN, so the caller retries with the same session instead of believing nothing
         * happened.
         */
        @Override
        void fail(RequestFailedException e) {
            future.completeExceptionally(earlierAttemptUnanswered && !e.mayHaveTakenEffect()
                    ? new RequestFailedException(FailureReason.OUTCOME_UNKNOWN, e.leaderId(), e.getMessage()
                            + "; an earlier attempt was not answered, so the write may or may not take effect")
                    : e);
        }
    }

    /** A read to serve once the engine clears it; {@code query} runs on the loop thread. */
    static final class Read<T> extends PendingRequest {
        final ReadConsistency consistency;
        final Supplier<T> query;
        final CompletableFuture<T> future = new CompletableFuture<>();

        Read(ReadConsistency consistency, Supplier<T> query, long deadlineNanos) {
            super(deadlineNanos);
            this.consistency = consistency;
            this.query = query;
        }

        void serve() {
            try {
                future.complete(query.get());
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        }

        @Override
        void fail(RequestFailedException e) {
            future.completeExceptionally(e);
        }
    }
}
