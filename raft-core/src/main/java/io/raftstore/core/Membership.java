package io.raftstore.core;

import io.raftstore.core.codec.BinaryReader;
import io.raftstore.core.codec.BinaryWriter;
import io.raftstore.core.codec.CodecException;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A cluster configuration: the voters that elect leaders and form quorums, and the learners that only
 * receive the log. Immutable; node ids are kept sorted so iteration order is deterministic.
 *
 * <p>Like hashicorp/raft's {@code Server.Address}, each member may carry an address: a string the engine
 * never reads, replicated with the configuration (so every node, and every node added later, knows how to
 * reach every member) and kept in snapshots. The application decides its form.
 *
 * @param addresses by member id; only members may have one
 */
public record Membership(Set<String> voters, Set<String> learners, Map<String, String> addresses) {

    public static final Membership EMPTY = new Membership(Set.of(), Set.of());

    /**
     * Marks the encoding that carries addresses. The older form starts with the voter count, at most
     * 65,536 ({@link BinaryReader#readStrings()}), so this value can never begin it; a membership without
     * addresses is still written in the older form, byte for byte.
     */
    private static final long WITH_ADDRESSES = 1L << 20;

    public Membership {
        voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        learners = Collections.unmodifiableSortedSet(new TreeSet<>(learners));
        addresses = Collections.unmodifiableSortedMap(new TreeMap<>(addresses));
        for (String id : voters) {
            if (learners.contains(id)) {
                throw new IllegalArgumentException("node " + id + " cannot be both voter and learner");
            }
        }
        for (String id : addresses.keySet()) {
            if (!voters.contains(id) && !learners.contains(id)) {
                throw new IllegalArgumentException("node " + id + " has an address but is not a member");
            }
        }
    }

    /** Members without addresses. */
    public Membership(Set<String> voters, Set<String> learners) {
        this(voters, learners, Map.of());
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

    /** The address {@code id} was added with, or null. */
    public String addressOf(String id) {
        return addresses.get(id);
    }

    /** This membership with one change applied; rejects changes that make no sense. */
    public Membership apply(ConfigChange change) {
        TreeSet<String> v = new TreeSet<>(voters);
        TreeSet<String> l = new TreeSet<>(learners);
        TreeMap<String, String> a = new TreeMap<>(addresses);
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
                a.remove(id);
            }
        }
        if (change.address() != null) {
            a.put(id, change.address());
        }
        return new Membership(v, l, a);
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
        if (!addresses.isEmpty()) {
            w.writeVarLong(WITH_ADDRESSES);
        }
        w.writeStrings(voters);
        w.writeStrings(learners);
        if (!addresses.isEmpty()) {
            w.writeStrings(addresses.keySet());
            addresses.values().forEach(w::writeString);
        }
    }

    public static Membership readFrom(BinaryReader r) {
        // The older form starts with the voter count: peek without consuming it.
        BinaryReader peek = r.copy();
        if (peek.readVarLong() != WITH_ADDRESSES) {
            return new Membership(r.readStrings(), r.readStrings());
        }
        r.readVarLong();
        Set<String> v = r.readStrings();
        Set<String> l = r.readStrings();
        Map<String, String> a = new TreeMap<>();
        for (String id : r.readStrings()) {
            String address = r.readString();
            if (address == null) {
                throw new CodecException("member " + id + " has a null address");
            }
            a.put(id, address);
        }
        return new Membership(v, l, a);
    }

    public static Membership fromBytes(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        Membership m = readFrom(r);
        r.expectEnd();
        return m;
    }
}
