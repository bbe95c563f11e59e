package io.raftstore.core;

import io.raftstore.core.message.RequestVoteResponse;

import java.util.HashMap;
import java.util.Map;

/**
 * The answers to one (pre-)election of this node, its own vote included, and what they add up to. A grant
 * flagged {@link RequestVoteResponse#unanimousOnly()} (from a voter that is not caught up) counts only when every
 * voter granted; why that is safe is at {@code Raft.votesNeeded}.
 */
final class VoteTally {

    enum Outcome { WON, LOST, OPEN }

    private enum Vote { GRANTED, GRANTED_IF_UNANIMOUS, REFUSED }

    private final Map<String, Vote> votes = new HashMap<>();

    /** A new election: only {@code self}'s own vote so far. */
    void start(String self) {
        votes.clear();
        votes.put(self, Vote.GRANTED);
    }

    /** The first answer of each voter counts. */
    void record(RequestVoteResponse r) {
        votes.putIfAbsent(r.from(), !r.granted() ? Vote.REFUSED
                : r.unanimousOnly() ? Vote.GRANTED_IF_UNANIMOUS : Vote.GRANTED);
    }

    /** WON with {@code needed} plain grants or every voter's; LOST once neither can still happen. */
    Outcome outcome(Membership membership, int needed) {
        int granted = 0;
        int ifUnanimous = 0;
        int refused = 0;
        for (String voter : membership.voters()) {
            Vote v = votes.get(voter);
            if (v == Vote.GRANTED) {
                granted++;
            } else if (v == Vote.GRANTED_IF_UNANIMOUS) {
                ifUnanimous++;
            } else if (v == Vote.REFUSED) {
                refused++;
            }
        }
        int voters = membership.voters().size();
        if (granted >= needed || granted + ifUnanimous == voters) {
            return Outcome.WON;
        }
        return refused > 0 && refused + ifUnanimous > voters - needed ? Outcome.LOST : Outcome.OPEN;
    }
}
