package io.raftstore.ejb;

import io.raftstore.api.InvalidRequestException;
import io.raftstore.api.ReadConsistency;
import io.raftstore.api.UnknownTransactionException;
import io.raftstore.api.Versioned;
import io.raftstore.api.spi.Precondition;
import io.raftstore.api.spi.PreparedTransaction;
import io.raftstore.api.spi.ScanPage;
import io.raftstore.api.spi.StoreLimits;
import io.raftstore.ejb.view.HistoryEntry;
import io.raftstore.ejb.view.MemberView;
import io.raftstore.ejb.view.MembershipView;
import io.raftstore.ejb.view.NodeRequestException;
import io.raftstore.ejb.view.NodeView;
import io.raftstore.ejb.view.ReachabilityEntry;
import io.raftstore.ejb.view.SnapshotOutcome;
import io.raftstore.ejb.view.WriteOutcome;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the web module (REST, console, health) can ask of this node: the boundary between the WAR and the
 * node, in {@code raftstore-api} types and the records of {@link io.raftstore.ejb.view}, never the engine's
 * or the state machine's own (an ArchUnit rule in web-admin holds the WAR to it). Any node serves any
 * request: writes on a follower are forwarded to the leader.
 *
 * <p>Failures: {@link NodeRequestException} (unavailable: no leader or quorum within the request timeout;
 * or refused by the cluster) and {@link InvalidRequestException} (the request breaks a limit: key, value
 * or scan size), each wrapped by the container in an {@code EJBException}; unwrapped when the bean is called
 * directly ({@link DirectNode}, the single-key REST requests).
 *
 * <p>Applications use the JCA adapter, which reaches the node through {@link io.raftstore.api.spi.StoreGateway}
 * ({@code KvStoreGateway}); this interface adds what only REST and the console need: client sessions for
 * exactly-once writes, the "created" flag, and the node's status and administration.
 */
public interface RaftStoreLocal {

    /** One key at the given consistency; empty when absent. */
    Optional<Versioned> get(String key, ReadConsistency consistency);

    /** At most {@code limit} keys with the prefix, in key order, from one state of the store. */
    ScanPage scan(String prefix, int limit, ReadConsistency consistency);

    /**
     * Replicates a put; {@code clientId} 0 means no client session, else a retried (clientId, sequence) is
     * applied once and answered as the first time.
     *
     * @param condition null, or what must hold of the key (of this key) for the put to happen:
     *                  {@link Precondition.Absent}, {@link Precondition.Exists} or {@link Precondition.VersionEquals}
     */
    WriteOutcome put(String key, byte[] value, Precondition condition, long clientId, long sequence);

    /** Replicates a delete, of any version when {@code ifVersion} is null; as {@link #put}. */
    WriteOutcome delete(String key, Long ifVersion, long clientId, long sequence);

    StoreLimits limits();

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
     * @throws NodeRequestException                     refused with the reason, or unavailable
     */
    MembershipView addLearner(String nodeId, String raftAddress, String httpUrl);

    /** Makes a caught-up learner a voter; as {@link #addLearner}. */
    MembershipView promote(String nodeId);

    /** Removes a voter or learner (the leader too: it steps down once the change commits); as {@link #addLearner}. */
    MembershipView removeMember(String nodeId);

    /** The latest {@code limit} changes of leader this node observed, newest first. */
    List<HistoryEntry> history(int limit);

    /** The latest {@code limit} times this node lost or regained a peer, oldest first. */
    List<ReachabilityEntry> reachability(int limit);

    /** If this node leads, hands leadership to {@code target} (null: the best voter); returns the leader after. */
    String transferLeadership(String target);

    /**
     * Online backup: copies this node's database and latest snapshot, consistently, into the new or empty
     * directory {@code target} while the node runs. Restore with {@code H2Backup.restore} into an empty data
     * directory (read its Javadoc before restoring a single node).
     */
    void backup(Path target);

    /**
     * The store's prepared two-phase transactions, in id order (a linearizable read): id, the keys each
     * holds, the log index it was prepared at.
     */
    List<PreparedTransaction> preparedTransactions();

    /**
     * Commits or rolls back a prepared transaction on behalf of a transaction manager that will never come
     * back, releasing its keys.
     *
     * @throws UnknownTransactionException when no transaction of that id is prepared
     */
    void resolvePrepared(String id, boolean commit);

    /** Recovery finished and the node runs. */
    boolean started();

    /** The event loop ticks. */
    boolean live();

    /** A leader is known and this node is caught up within the configured lag. */
    boolean ready();

    /** Why the node is not running, or null. */
    String startupFailure();
}
