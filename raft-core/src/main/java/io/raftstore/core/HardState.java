package io.raftstore.core;

/**
 * The state Raft must keep on stable storage before answering any message.
 *
 * @param term        the latest term this node has seen
 * @param votedFor    the candidate it voted for in {@code term}, or null
 * @param commitIndex the highest index known committed (persisted only to speed up restart)
 * @param incarnation the identity of this data directory: created with it (see {@link Incarnation#ensure}),
 *                    never changed after, and carried in the node's answers to the leader, so a leader
 *                    sees a follower whose data was wiped as a new incarnation. 0 for storage that predates
 *                    incarnations or does not track them: the node then behaves as before (caught up)
 * @param caughtUp    a leader confirmed that this data directory holds every entry it could have
 *                    acknowledged (or this node led, or its state predates incarnations). Until then the
 *                    node's state may be a wiped voter's: its grants count only toward an election every
 *                    voter grants, it does not campaign with a non-empty log, and leaders do not count it
 *                    toward commitment
 */
public record HardState(long term, String votedFor, long commitIndex, long incarnation, boolean caughtUp) {
    /** The state of a node that has never run, in storage that does not track incarnations. */
    public static final HardState EMPTY = new HardState(0, null, 0);

    public HardState {
        if (incarnation < 0) {
            throw new IllegalArgumentException("incarnation must not be negative: " + incarnation);
        }
        if (incarnation == 0 && !caughtUp) {
            throw new IllegalArgumentException("state without an incarnation is always caught up");
        }
    }

    /** A state without an incarnation (storage that predates them): caught up, as before. */
    public HardState(long term, String votedFor, long commitIndex) {
        this(term, votedFor, commitIndex, 0, true);
    }

    /** The first state of a new data directory: nothing known, not caught up. */
    public static HardState fresh(long incarnation) {
        if (incarnation <= 0) {
            throw new IllegalArgumentException("an incarnation is positive: " + incarnation);
        }
        return new HardState(0, null, 0, incarnation, false);
    }
}
