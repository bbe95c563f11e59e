package io.raftstore.ejb.view;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** The voters and learners of one configuration, each set sorted by id. */
public record MembershipView(Set<String> voters, Set<String> learners) {

    public MembershipView {
        voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        learners = Collections.unmodifiableSortedSet(new TreeSet<>(learners));
    }

    public boolean isVoter(String id) {
        return voters.contains(id);
    }

    public boolean isLearner(String id) {
        return learners.contains(id);
    }
}
