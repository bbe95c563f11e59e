package io.raftstore.ejb;

import io.raftstore.core.ReadConsistency;
import io.raftstore.ejb.view.HistoryEntry;
import io.raftstore.ejb.view.MemberView;
import io.raftstore.ejb.view.MembershipView;
import io.raftstore.ejb.view.NodeView;
import io.raftstore.ejb.view.SnapshotOutcome;
import io.raftstore.kv.KvCommand;
import io.raftstore.kv.KvLimits;
import io.raftstore.kv.KvResult;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What callers inside the server can ask of this node. Any node serves any request: writes on a follower
 * are forwarded to the leader. Failures arrive as {@link io.raftstore.node.RequestFailedException}
 * (unavailable: no leader or quorum within the request timeout) or
 * {@link io.raftstore.kv.KvValidationException} (the request breaks a limit).
 */
public interface RaftStoreLocal {

    /** Replicates a write; {@code clientId} 0 means no client session. */
    KvResult write(KvCommand command, long clientId, long sequence);

    /** A Get or Scan at the given consistency. */
    KvResult read(KvCommand query, ReadConsistency consistency);

    NodeView status();

    /** Other nodes this one can currently reach. */
    Set<String> reachablePeers();

    /**
     * Every member of the configuration this node knows, by id in id order, with its addresses: replicated
     * with the membership, else as configured (empty or null when unknown).
     */
    Map<String, MemberView> members();

    /** Snapshots this node's state machine and compacts its log now. */
    SnapshotOutcome snapshotNow();

    /**
     * Adds a node started in join mode as a learner (it receives the log but does not vote); works on any
     * node and returns once the change is committed, with the membership after it.
     *
     * @param raftAddress host:port of the new node's Raft channel
     * @param httpUrl     base URL of its HTTP API (the consoles poll it there), or null or empty
     * @throws IllegalArgumentException                 for a malformed id or address (see {@link MemberView#check})
     * @throws io.raftstore.node.RequestFailedException REJECTED with the reason, or unavailable
     */
    MembershipView addLearner(String nodeId, String raftAddress, String httpUrl);

    /** Makes a caught-up learner a voter; as {@link #addLearner}. */
    MembershipView promote(String nodeId);

    /** Removes a voter or learner (the leader too: it steps down once the change commits); as {@link #addLearner}. */
    MembershipView removeMember(String nodeId);

    /** The latest {@code limit} changes of leader this node observed, newest first. */
    List<HistoryEntry> history(int limit);

    /** If this node leads, hands leadership to {@code target} (null: the best voter); returns the leader after. */
    String transferLeadership(String target);

    KvLimits limits();

    /**
     * Online backup: copies this node's database and latest snapshot, consistently, into the new or empty
     * directory {@code target} while the node runs. Restore with {@code H2Backup.restore} into an empty data
     * directory (read its Javadoc before restoring a single node).
     */
    void backup(java.nio.file.Path target);

    /** Recovery finished and the node runs. */
    boolean started();

    /** The event loop ticks. */
    boolean live();

    /** A leader is known and this node is caught up within the configured lag. */
    boolean ready();

    /** Why the node is not running, or null. */
    String startupFailure();
}
