package io.raftstore.core;

import java.util.Objects;

/** One single-server membership change (Ongaro's dissertation, section 4.1). */
public record ConfigChange(Type type, String nodeId) {

    /** The kinds of single-server change. */
    public enum Type { ADD_VOTER, ADD_LEARNER, PROMOTE_LEARNER, REMOVE_MEMBER }

    public ConfigChange {
        Objects.requireNonNull(type, "type");
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("a membership change needs a node id");
        }
    }
}
