package io.raftstore.resp.command;

import java.util.Map;
import java.util.Optional;

/** Who leads the cluster, as this node knows it, for redirection. Thread-safe; answers from memory, never blocks. */
public interface LeaderDirectory {

    /** True when this node is the leader. */
    boolean localIsLeader();

    /** The leader's RESP endpoint as "host:port", or empty when no leader is known (an election is running). */
    Optional<String> leaderEndpoint();

    /** The store's current term, for INFO-style answers; 0 when unknown. */
    default long term() {
        return 0;
    }

    /**
     * Fields for INFO's replication section beyond role and leader (which INFO derives from the methods above),
     * in the order to print them: the node's id, term, commit and applied indexes. Empty by default.
     */
    default Map<String, String> replicationInfo() {
        return Map.of();
    }

    /** A single node that always leads at {@code endpoint}: for tests and single-node setups. */
    static LeaderDirectory alwaysLeader(String endpoint) {
        return new LeaderDirectory() {
            @Override
            public boolean localIsLeader() {
                return true;
            }

            @Override
            public Optional<String> leaderEndpoint() {
                return Optional.of(endpoint);
            }
        };
    }
}
