package io.raftstore.node;

import java.util.EnumSet;
import java.util.Set;

/**
 * Bugs the whole-node simulation's self-test plants in this package's production code, one at a time, to
 * show that its checkers catch them (issue 12): each is a fix of the past taken out again. None is ever
 * planted outside that test; a check costs one read of an empty set, on paths that are not hot.
 */
public enum PlantedBug {

    /** The router forgets that a forwarded write went unanswered (finding 5): its failure then says "not written". */
    LOSE_FORWARDING_LABEL,
    /** The driver takes a local snapshot while one from the leader is half received (finding 4). */
    SNAPSHOT_OVER_INSTALL,
    /**
     * A leader counts its own copy of new entries once written, not once its syncer forced them (issue 18): a
     * write it acknowledges may live on one follower only while its own copy is still in the page cache.
     */
    COUNT_UNSYNCED_LEADER_COPY;

    private static volatile Set<PlantedBug> planted = EnumSet.noneOf(PlantedBug.class);

    /** Plants {@code bugs} (none: the production code as written). For the simulation's self-test only. */
    public static void plant(Set<PlantedBug> bugs) {
        planted = bugs.isEmpty() ? EnumSet.noneOf(PlantedBug.class) : EnumSet.copyOf(bugs);
    }

    boolean planted() {
        return planted.contains(this);
    }
}
