package io.raftstore.core;

import java.util.Objects;

/**
 * Engine settings, in ticks and bytes. Time exists in the engine only as a tick count; the driver decides
 * how long a tick is (RaftStore's default is 10 ms, giving a 50 ms heartbeat and a 150–300 ms election
 * timeout).
 *
 * @param nodeId                   this node's id
 * @param initialMembership        the configuration of a brand-new cluster; empty for a node that joins an
 *                                 existing cluster (it waits to be added and to receive the log)
 * @param heartbeatTicks           ticks between leader heartbeats
 * @param electionTicks            minimum election timeout; each node draws its timeout from
 *                                 {@code [electionTicks, 2 * electionTicks)}
 * @param requestTimeoutTicks      a proposal or read that has not completed after this long fails
 * @param maxInflightMessages      AppendEntries in flight per follower (pipelining window)
 * @param maxInflightBytes         bytes of entries in flight per follower
 * @param maxBatchBytes            bytes of entries in one AppendEntries
 * @param maxApplyBatchBytes       bytes of committed entries handed out in one {@link Ready}
 * @param snapshotChunkBytes       size of one InstallSnapshot chunk
 * @param maxPendingProposalBytes  uncommitted bytes a leader accepts before refusing proposals
 * @param preVote                  run a PreVote round before a real election
 * @param checkQuorum              a leader that has not heard from a quorum for an election timeout steps down
 * @param peerLossHints            the driver reports lost peers ({@link RaftNode#peerLost}), so followers may
 *                                 vote for a new leader before the old one's lease ends: LEASE reads are then
 *                                 served as ReadIndex reads (a round to a quorum), never from the lease
 * @param tickMicros               how long the driver makes a tick, nominally. The engine never measures time with
 *                                 it: it only tells peers, in real time, how long this node surely grants no vote
 *                                 after hearing from its leader ({@link #leaseMicros}), and reads their answers in
 *                                 its own ticks, since nodes may differ in tick and election timeout (a rolling
 *                                 restart that changes them)
 */
public record RaftConfig(String nodeId, Membership initialMembership, int heartbeatTicks, int electionTicks,
                         int requestTimeoutTicks, int maxInflightMessages, long maxInflightBytes,
                         long maxBatchBytes, long maxApplyBatchBytes, int snapshotChunkBytes,
                         long maxPendingProposalBytes, boolean preVote, boolean checkQuorum,
                         boolean peerLossHints, int tickMicros) {

    public RaftConfig {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(initialMembership, "initialMembership");
        check(!nodeId.isBlank(), "nodeId must not be blank");
        check(heartbeatTicks >= 1, "heartbeatTicks must be at least 1, was " + heartbeatTicks);
        check(electionTicks > heartbeatTicks,
                "electionTicks (" + electionTicks + ") must exceed heartbeatTicks (" + heartbeatTicks + ")");
        check(requestTimeoutTicks >= electionTicks,
                "requestTimeoutTicks (" + requestTimeoutTicks + ") must be at least electionTicks (" + electionTicks + ")");
        check(maxInflightMessages >= 1, "maxInflightMessages must be at least 1");
        check(maxInflightBytes >= 1 && maxBatchBytes >= 1 && maxApplyBatchBytes >= 1, "byte limits must be positive");
        check(snapshotChunkBytes >= 1, "snapshotChunkBytes must be positive");
        check(maxPendingProposalBytes >= 1, "maxPendingProposalBytes must be positive");
        check(tickMicros >= 1, "tickMicros must be positive, was " + tickMicros);
    }

    /**
     * Whether a leader serves LEASE reads from its lease (dissertation 6.4.1): only with CheckQuorum, which
     * makes followers honour a lease, and without peer-loss hints, which let them stop honouring it early.
     */
    public boolean leaseReads() {
        return checkQuorum && !peerLossHints;
    }

    /**
     * How long, in real time, this node surely grants no vote after a leader's message reached it (0 without
     * {@link #leaseReads}): it ignores candidates for {@code electionTicks} ticks after hearing from its leader,
     * and two of those ticks can hide no real time (a tick already due when the message arrives is delivered
     * right after it, and each later tick no earlier than it is due). Sent with every answer to a leader, which
     * counts it toward its lease for no longer than this ({@code LeaderReads}).
     */
    public long leaseMicros() {
        return leaseReads() ? (long) (electionTicks - 2) * tickMicros : 0; // electionTicks > heartbeatTicks >= 1
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The defaults for a 10 ms tick: heartbeat 50 ms, election 150–300 ms, requests time out after 5 s. */
    public static RaftConfig defaults(String nodeId, Membership initialMembership) {
        return new RaftConfig(nodeId, initialMembership, 5, 15, 500, 64, 8L << 20, 1L << 20, 4L << 20,
                1 << 20, 64L << 20, true, true, false, 10_000);
    }

    public RaftConfig withTimeouts(int heartbeat, int election, int request) {
        return new RaftConfig(nodeId, initialMembership, heartbeat, election, request, maxInflightMessages,
                maxInflightBytes, maxBatchBytes, maxApplyBatchBytes, snapshotChunkBytes, maxPendingProposalBytes,
                preVote, checkQuorum, peerLossHints, tickMicros);
    }

    public RaftConfig withBatching(int inflightMessages, long inflightBytes, long batchBytes, int chunkBytes) {
        return new RaftConfig(nodeId, initialMembership, heartbeatTicks, electionTicks, requestTimeoutTicks,
                inflightMessages, inflightBytes, batchBytes, maxApplyBatchBytes, chunkBytes, maxPendingProposalBytes,
                preVote, checkQuorum, peerLossHints, tickMicros);
    }

    public RaftConfig withPreVoteAndCheckQuorum(boolean preVote, boolean checkQuorum) {
        return new RaftConfig(nodeId, initialMembership, heartbeatTicks, electionTicks, requestTimeoutTicks,
                maxInflightMessages, maxInflightBytes, maxBatchBytes, maxApplyBatchBytes, snapshotChunkBytes,
                maxPendingProposalBytes, preVote, checkQuorum, peerLossHints, tickMicros);
    }

    public RaftConfig withPeerLossHints(boolean hints) {
        return new RaftConfig(nodeId, initialMembership, heartbeatTicks, electionTicks, requestTimeoutTicks,
                maxInflightMessages, maxInflightBytes, maxBatchBytes, maxApplyBatchBytes, snapshotChunkBytes,
                maxPendingProposalBytes, preVote, checkQuorum, hints, tickMicros);
    }

    /** The nominal length of a tick as the driver delivers them (see {@code tickMicros}). */
    public RaftConfig withTickMicros(int micros) {
        return new RaftConfig(nodeId, initialMembership, heartbeatTicks, electionTicks, requestTimeoutTicks,
                maxInflightMessages, maxInflightBytes, maxBatchBytes, maxApplyBatchBytes, snapshotChunkBytes,
                maxPendingProposalBytes, preVote, checkQuorum, peerLossHints, micros);
    }
}
