package io.raftstore.core;

import io.raftstore.core.storage.RaftStorage;

import java.util.function.LongSupplier;

/**
 * Gives a node's storage its identity before the engine opens it (issue 12, finding 1). A data directory
 * that was wiped and started again is a new incarnation of its node id: its hard state says it is not
 * caught up, so it cannot vote or count toward commitment until a leader has given it everything it may
 * have acknowledged before, and the leader, seeing the new incarnation in its answers, forgets what it
 * knew of the old one's log.
 */
public final class Incarnation {
    private Incarnation() {
    }

    /**
     * Saves an incarnation into storage that has none, and returns the hard state in force. Storage with
     * nothing in it (no term, vote, entry or snapshot) becomes a new, not caught-up incarnation; storage
     * that holds state from before incarnations existed keeps it and counts as caught up.
     *
     * @param generator any source of distinct values (a random number, the time); the engine only compares them
     */
    public static HardState ensure(RaftStorage storage, LongSupplier generator) {
        HardState hs = storage.hardState().load();
        if (hs.incarnation() != 0) {
            return hs;
        }
        long id = generator.getAsLong() & Long.MAX_VALUE;
        if (id == 0) {
            id = 1;
        }
        boolean empty = hs.term() == 0 && hs.votedFor() == null && hs.commitIndex() == 0
                && storage.log().lastIndex() == 0 && storage.snapshots().latest().isEmpty();
        HardState identified = empty ? HardState.fresh(id)
                : new HardState(hs.term(), hs.votedFor(), hs.commitIndex(), id, true);
        storage.hardState().save(identified);
        return identified;
    }

    /**
     * Makes the storage a new, not caught-up incarnation of its node, keeping its term, commit index and log but
     * not its vote: for a data directory restored from a backup into a running cluster. The backup may be older
     * than votes the node cast and entries it acknowledged since, exactly as a wiped directory is, so it must be
     * treated like one: no vote and no count toward commitment until a leader has caught it up. What it holds
     * only spares that catch-up the entries it already has.
     *
     * @param generator any source of distinct values; a value equal to the old incarnation is not taken
     */
    public static HardState renew(RaftStorage storage, LongSupplier generator) {
        HardState hs = storage.hardState().load();
        long id;
        do {
            id = generator.getAsLong() & Long.MAX_VALUE;
        } while (id == 0 || id == hs.incarnation());
        HardState renewed = new HardState(hs.term(), null, hs.commitIndex(), id, false);
        storage.hardState().save(renewed);
        return renewed;
    }
}
