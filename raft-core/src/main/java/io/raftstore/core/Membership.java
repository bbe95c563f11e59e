package io.raftstore.core;

import io.raftstore.core.codec.BinaryReader;
import io.raftstore.core.codec.BinaryWriter;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * A cluster configuration: the voters that elect leaders and form quorums, and the learners that only
 * receive the log. Immutable; node ids are kept sorted so iteration order is deterministic.
 */
public record Membership(Set<String> voters, Set<String> learners) {

    public static final Membership EMPTY = new Membership(Set.of(), Set.of());

    public Membership {
        voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        learners = Collections.unmodifiableSortedSet(new TreeSet<>(learners));
        for (String id : voters) {
            if (learners.contains(id)) {
                throw new IllegalArgumentException("node " + id + " cannot be both voter and learner");
            }
        }
    }

    public static Membership ofVoters(String... ids) {
        return new Membership(Set.of(ids), Set.of());
    }

    public boolean isVoter(String id) {
        return voters.contains(id);
    }

    public boolean isLearner(String id) {
        return learners.contains(id);
    }

    public boolean contains(String id) {
        return isVoter(id) || isLearner(id);
    }

    /** Every member, voters first, each group sorted. */
    public Set<String> all() {
        TreeSet<String> all = new TreeSet<>(voters);
        all.addAll(learners);
        return all;
    }

    /** Number of voters that make a majority. */
    public int quorum() {
        return voters.size() / 2 + 1;
    }

    /** This membership with one change applied; rejects changes that make no sense. */
    public Membership apply(ConfigChange change) {
        TreeSet<String> v = new TreeSet<>(voters);
        TreeSet<String> l = new TreeSet<>(learners);
        String id = change.nodeId();
        switch (change.type()) {
            case ADD_VOTER -> {
                require(!v.contains(id), id + " is already a voter");
                l.remove(id);
                v.add(id);
            }
            case ADD_LEARNER -> {
                require(!contains(id), id + " is already a member");
                l.add(id);
            }
            case PROMOTE_LEARNER -> {
                require(l.remove(id), id + " is not a learner");
                v.add(id);
            }
            case REMOVE_MEMBER -> {
                require(v.remove(id) || l.remove(id), id + " is not a member");
                require(!v.isEmpty(), "cannot remove the last voter " + id);
            }
        }
        return new Membership(v, l);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public byte[] toBytes() {
        BinaryWriter w = new BinaryWriter(64);
        writeTo(w);
        return w.toByteArray();
    }

    public void writeTo(BinaryWriter w) {
        w.writeStrings(voters);
        w.writeStrings(learners);
    }

    public static Membership readFrom(BinaryReader r) {
        return new Membership(r.readStrings(), r.readStrings());
    }

    public static Membership fromBytes(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        Membership m = readFrom(r);
        r.expectEnd();
        return m;
    }
}
