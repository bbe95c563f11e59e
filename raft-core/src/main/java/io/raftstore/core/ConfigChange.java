package io.raftstore.core;

import java.util.Objects;

/**
 * One single-server membership change (Ongaro's dissertation, section 4.1).
 *
 * @param address for {@link Type#ADD_VOTER} and {@link Type#ADD_LEARNER}: how to reach the new member,
 *                replicated with the configuration ({@link Membership#addresses()}); null keeps none
 */
public record ConfigChange(Type type, String nodeId, String address) {

    /** The kinds of single-server change. */
    public enum Type { ADD_VOTER, ADD_LEARNER, PROMOTE_LEARNER, REMOVE_MEMBER }

    public ConfigChange {
        Objects.requireNonNull(type, "type");
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("a membership change needs a node id");
        }
        if (address != null && type != Type.ADD_VOTER && type != Type.ADD_LEARNER) {
            throw new IllegalArgumentException("only a member being added takes an address, not " + type);
        }
    }

    /** A change without an address. */
    public ConfigChange(Type type, String nodeId) {
        this(type, nodeId, null);
    }
}
