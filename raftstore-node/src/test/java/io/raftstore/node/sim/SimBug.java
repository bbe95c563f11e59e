package io.raftstore.node.sim;

import io.raftstore.node.PlantedBug;

import java.util.EnumSet;
import java.util.Set;

/** A bug the self-test plants, to show that a seed catches it: in the disk, or in production code ({@link PlantedBug}). */
enum SimBug {
    /** Every node's disk acknowledges fsyncs without making anything durable: a missing {@code force()}. */
    MISSING_FSYNC(null),
    LOSE_FORWARDING_LABEL(PlantedBug.LOSE_FORWARDING_LABEL),
    SNAPSHOT_OVER_INSTALL(PlantedBug.SNAPSHOT_OVER_INSTALL),
    COUNT_UNSYNCED_LEADER_COPY(PlantedBug.COUNT_UNSYNCED_LEADER_COPY);

    private final PlantedBug inProduction;

    SimBug(PlantedBug inProduction) {
        this.inProduction = inProduction;
    }

    static Set<PlantedBug> inProduction(SimBug bug) {
        return bug == null || bug.inProduction == null ? Set.of() : EnumSet.of(bug.inProduction);
    }
}
